#!/bin/sh
# crsim sweep, export and merge end to end: resuming after SIGKILL, shards merged, refusals,
# located errors, MPI against threads. Usage: test_sweep.sh CRSIM WORKDIR CASE (from the repository
# root). Exit 77 = skipped (ctest reports it as skipped, with the reason printed).
set -u
crsim=$1 work=$2 case=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
root=$OLDPWD
sweep=$root/tests/sweeps/small.yaml
fail() { echo "FAIL: $*"; exit 1; }
# An AddressSanitizer build (g++'s links libasan, clang's carries it inside) reserves terabytes of
# address space for its shadow memory, so it cannot start under `ulimit -v`.
asan_build() { grep -qa __asan_init "$crsim"; }
command -v sqlite3 >/dev/null || fail "sqlite3 (the command) is needed: tools/install-deps.sh installs it"
q() { sqlite3 "$1" "$2"; }
# The tables as CSV, without what may differ between runs: creation time, shard, seconds taken.
tables() {
    "$crsim" export "$1" --csv "$2" 2>/dev/null || fail "export $1"
    grep -v -e '^created,' -e '^shard,' "$2/meta.csv" >"$2/meta.kept"
    cut -d, -f1-3 "$2/tasks.csv" >"$2/tasks.kept"
}
# Waits (up to 30 s) until the store STORE has a task committed; prints how many it has then.
wait_for_a_task() {
    n=0
    for _ in $(seq 1 600); do
        n=$(q "$1" 'select count(*) from tasks' 2>/dev/null || echo 0)
        [ "${n:-0}" -ge 1 ] && break
        sleep 0.05
    done
    echo "${n:-0}"
}
# Waits (up to 30 s) until the file STORE is locked (flock) by a writer: read from /proc/locks, so
# that the wait takes no lock that the writer could find taken.
wait_for_the_lock() {
    for _ in $(seq 1 600); do
        [ -e "$1" ] && grep -q " FLOCK .* [0-9a-f]*:[0-9a-f]*:$(stat -c %i "$1") " /proc/locks && return 0
        sleep 0.05
    done
    return 1
}
same_tables() {
    for t in points.csv replications.csv summary.csv targets.csv tasks.kept meta.kept; do
        cmp -s "$1/$t" "$2/$t" || fail "$t differs between $1 and $2: $(diff "$1/$t" "$2/$t" | head -5)"
    done
}

case $case in
kill-resume)
    # The reference: one uninterrupted run on 2 threads.
    "$crsim" sweep "$sweep" --out whole.sqlite --threads 2 2>/dev/null || fail "uninterrupted run: status $?"
    [ "$(q whole.sqlite 'select count(*) from tasks')" -eq 96 ] || fail "uninterrupted run has not 96 tasks"
    # SIGKILL once some tasks are committed and before all are.
    "$crsim" sweep "$sweep" --out killed.sqlite --threads 1 2>/dev/null &
    pid=$!
    n=$(wait_for_a_task killed.sqlite)
    kill -KILL $pid 2>/dev/null || fail "the sweep ended before it could be killed (after $n tasks)"
    wait $pid 2>/dev/null
    n=$(q killed.sqlite 'select count(*) from tasks')
    [ "$n" -ge 1 ] && [ "$n" -lt 96 ] || fail "killed with $n of 96 tasks stored: not halfway"
    echo "killed with $n of 96 tasks stored"
    # The same command again: it resumes and completes the store.
    "$crsim" sweep "$sweep" --out killed.sqlite --threads 1 2>err.txt || fail "resume: status $?: $(cat err.txt)"
    grep -q "; $n already done, $((96 - n)) to run on 1 thread" err.txt || fail "resume did not resume: $(cat err.txt)"
    grep -q "tasks/s on 1 thread" err.txt || fail "no tasks/s report: $(cat err.txt)"
    [ "$(q killed.sqlite 'select count(*) from (select distinct point, replication from tasks)')" -eq 96 ] ||
        fail "missing tasks after resuming"
    [ "$(q killed.sqlite 'select count(*) from replications')" -eq "$(q whole.sqlite 'select count(*) from replications')" ] ||
        fail "duplicate or missing replication rows"
    tables whole.sqlite whole && tables killed.sqlite killed
    same_tables whole killed
    # Run again when complete: nothing to do, nothing changes.
    "$crsim" sweep "$sweep" --out killed.sqlite 2>err.txt || fail "rerun: status $?"
    grep -q "; 96 already done, 0 to run" err.txt || fail "rerun: $(cat err.txt)"
    ;;
shards-merge)
    "$crsim" sweep "$sweep" --out whole.sqlite --threads 1 2>/dev/null || fail "unsharded run: status $?"
    "$crsim" sweep "$sweep" --out s1.sqlite --shard 1/2 --threads 2 2>/dev/null || fail "shard 1: status $?"
    "$crsim" sweep "$sweep" --out s2.sqlite --shard 2/2 --threads 1 2>/dev/null || fail "shard 2: status $?"
    [ "$(q s1.sqlite 'select count(*) from tasks')" -eq 48 ] || fail "shard 1 has not half the tasks"
    [ "$(q s1.sqlite "select value from meta where key = 'shard'")" = "1/2" ] || fail "shard 1 meta"
    "$crsim" merge s1.sqlite s2.sqlite --out all.sqlite 2>/dev/null || fail "merge: status $?"
    tables whole.sqlite whole && tables all.sqlite all
    same_tables whole all
    # Points meeting every target: the acceptance query answers from the merged store.
    [ "$(q all.sqlite 'select group_concat(point) from (select point from targets group by point having min(met)=1)')" = \
      "$(q whole.sqlite 'select group_concat(point) from (select point from targets group by point having min(met)=1)')" ] ||
        fail "points meeting every target differ"
    # A point's figures are those of `crsim run` on its scenario with the sweep's seed (common random
    # numbers): point 6 is patience 5min, nights 3.
    "$crsim" run "$root/scenarios/two-rooms.yaml" --set horizon=2w --set warmup=1d --set classes.101.patience.mean=5min \
        --set 'roster[shift=night].headcount=3' --seed 5 -n 8 --out run6 >/dev/null 2>&1 || fail "crsim run: status $?"
    [ "$(q whole.sqlite "select \"classes.101.patience.mean\" || ' ' || \"roster[shift=night].headcount\" from points where point = 6")" = "5min 3" ] ||
        fail "point 6 is not 5min, 3"
    # crsim export writes numbers as crsim run does (shortest exact text): compare the text.
    grep '^6,' whole/replications.csv | cut -d, -f2- >sweep6.txt
    tail -n +2 run6/replications.csv | cut -d, -f2- >run6.txt
    [ -s run6.txt ] && cmp -s sweep6.txt run6.txt || fail "point 6 differs from crsim run: $(diff sweep6.txt run6.txt | head -4)"
    # Stores of different sweeps are not merged.
    "$crsim" sweep "$root/tests/sweeps/other.yaml" --out other.sqlite 2>/dev/null || fail "other sweep: status $?"
    "$crsim" merge s1.sqlite other.sqlite --out bad.sqlite >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "merging different sweeps: status $st instead of 2"
    grep -q "crsim merge: error: other.sqlite is a store of another sweep than s1.sqlite" err.txt || fail "stderr: $(cat err.txt)"
    [ ! -e bad.sqlite ] || fail "a refused merge left bad.sqlite"
    ;;
refuse-changed)
    cp "$root/scenarios/two-rooms.yaml" base.yaml
    sed "s#^base: .*#base: base.yaml#" "$root/tests/sweeps/other.yaml" >sweep.yaml
    "$crsim" sweep sweep.yaml --out r.sqlite 2>/dev/null || fail "first run: status $?"
    echo "# a change" >>sweep.yaml
    "$crsim" sweep sweep.yaml --out r.sqlite >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "changed sweep file: status $st instead of 2"
    grep -q "crsim sweep: error: r.sqlite was made from another version of the sweep file" err.txt || fail "stderr: $(cat err.txt)"
    sed -i '$d' sweep.yaml
    sed -i 's/^horizon: 5w/horizon: 6w/' base.yaml
    "$crsim" sweep sweep.yaml --out r.sqlite >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "changed base scenario: status $st instead of 2"
    grep -q "crsim sweep: error: r.sqlite was made from another version of the base scenario" err.txt || fail "stderr: $(cat err.txt)"
    "$crsim" sweep sweep.yaml --out r.sqlite --shard 1/2 >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "another shard: status $st instead of 2"
    ;;
bad-sweep)
    # Located errors, status 2, and no store.
    cd "$root/tests/sweeps" || exit 1
    "$crsim" sweep bad.yaml --out "$work/bad.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2"
    cat >"$work/expected.txt" <<'END'
bad.yaml:2:1: error: replicatons: unknown key 'replicatons'; did you mean 'replications'?
bad.yaml:7:27: error: parameters.horizon.to: expected the same kind of value as from (1w)
bad.yaml:8:24: error: design.lhs.points: expected an integer >= 1, got 0
END
    cmp -s "$work/err.txt" "$work/expected.txt" || fail "stderr: $(diff "$work/expected.txt" "$work/err.txt")"
    "$crsim" sweep bad-points.yaml --out "$work/bad.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2"
    grep -qx "bad-points.yaml:3:37: error: classes.101.patience.mean: unknown unit 'mins': expected s, min, h, d or w" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
    grep -qx "bad-points.yaml:4:34: error: roster\[4\].headcount: expected an integer >= 0, got -1" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
    # scale:, add:, values: and name: misused (and the `PATH*:` a --set user would try).
    "$crsim" sweep bad-scale.yaml --out "$work/bad.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "bad-scale: status $st instead of 2"
    cat >"$work/expected.txt" <<'END'
bad-scale.yaml:3:3: error: parameters.roster[group=call-handlers].headcount*: to multiply the base scenario's value, write roster[group=call-handlers].headcount: {scale: [..]} (and name: to give its column a short name)
bad-scale.yaml:4:39: error: parameters.classes.101.patience.mean.scale[0]: expected a plain number (a factor such as 1.2), got '3min'
bad-scale.yaml:4:52: error: parameters.classes.101.patience.mean.name: expected a short column name of letters, digits and _ (not starting with a digit, not 'point'), got '1x'
bad-scale.yaml:5:37: error: parameters.classes.999.patience.scale.add: give one of values, scale and add, not both values and add
bad-scale.yaml:6:44: error: parameters.warmup.extra: unknown key 'extra'; expected one of: values, scale, add or name
bad-scale.yaml:7:33: error: parameters.horizon.name: the column name 'horizon_ok' is taken by another parameter
END
    cmp -s "$work/err.txt" "$work/expected.txt" || fail "bad-scale: stderr: $(diff "$work/expected.txt" "$work/err.txt")"
    [ ! -e "$work/bad.sqlite" ] || fail "a store was created for a bad sweep"
    [ ! -s "$work/out.txt" ] || fail "stdout not empty"
    ;;
lhs)
    # A Latin hypercube: every stratum of each range used once; the same design every time.
    "$crsim" sweep "$root/tests/sweeps/lhs.yaml" --out l.sqlite 2>/dev/null || fail "status $?"
    [ "$(q l.sqlite 'select count(*) from points')" -eq 5 ] || fail "not 5 points"
    strata=$(q l.sqlite 'select group_concat(s) from (select cast(("classes.101.patience.mean_value" - 180) / 84 as int) as s from points order by s)')
    [ "$strata" = "0,1,2,3,4" ] || fail "patience strata: $strata"
    [ "$(q l.sqlite 'select count(distinct "roster[shift=night].headcount") from points')" -eq 5 ] || fail "headcount strata"
    ;;
window)
    # `window:` as `crsim run --window` reads it (a named window of the base scenario here): the
    # store's figures equal crsim run's with that window, replication for replication, and differ
    # from the whole run's; the store says which window it holds.
    "$crsim" sweep "$root/tests/sweeps/window.yaml" --out w.sqlite 2>/dev/null || fail "status $?"
    [ "$(q w.sqlite "select value from meta where key = 'window'")" = "second-week" ] || fail "meta window"
    [ "$(q w.sqlite "select value from meta where key = 'window_description'")" = "week 2" ] || fail "meta window_description"
    tables w.sqlite w
    grep '^2,' w/replications.csv | cut -d, -f2- >sweep2.txt
    for window in second-week none; do
        set -- --window "$window"
        [ "$window" = none ] && set --
        "$crsim" run "$root/tests/scenarios/staff-stationary.yaml" --set 'roster[0].headcount=14' --seed 3 -n 2 "$@" \
            --out "run-$window" >/dev/null 2>&1 || fail "crsim run $*: status $?"
        tail -n +2 "run-$window/replications.csv" | cut -d, -f2- >"run-$window.txt"
    done
    [ -s sweep2.txt ] && cmp -s sweep2.txt run-second-week.txt ||
        fail "point 2 differs from crsim run --window second-week: $(diff sweep2.txt run-second-week.txt | head -4)"
    ! cmp -s sweep2.txt run-none.txt || fail "point 2 has the whole run's figures: the window was not applied"
    # A window the points' scenario cannot have, or that is no window: located errors, no store.
    cd "$root/tests/sweeps" || exit 1
    "$crsim" sweep bad-window.yaml --out "$work/bad.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    [ $? -eq 2 ] || fail "status $? instead of 2"
    echo "bad-window.yaml:3:9: error: window: the window weeks 2–3 ends after the run's horizon (2 weeks)" >"$work/expected.txt"
    cmp -s "$work/err.txt" "$work/expected.txt" || fail "stderr: $(diff "$work/expected.txt" "$work/err.txt")"
    sed 's/^window: 2-3/window: recovery/' bad-window.yaml >"$work/named.yaml"
    sed -i "s#^base: .*#base: $root/tests/scenarios/staff-stationary.yaml#" "$work/named.yaml"
    "$crsim" sweep "$work/named.yaml" --out "$work/bad.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    [ $? -eq 2 ] || fail "status $? instead of 2"
    grep -qx "$work/named.yaml:3:9: error: window: 'recovery' is not a window: expected weeks (14-26, 14), days (3d-10d, 3d) or one of the scenario's windows (second-week)" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
    [ ! -e "$work/bad.sqlite" ] && [ ! -s "$work/out.txt" ] || fail "a bad sweep wrote something"
    ;;
target-periods)
    # Targets per period in a sweep: the store judges each as `crsim run --window` does, from the
    # buckets' figures of each replication, and keeps every bucket (target_periods); the results
    # view and the export carry them.
    "$crsim" sweep "$root/tests/sweeps/target-periods.yaml" --out t.sqlite -q || fail "status $?"
    tables t.sqlite t
    "$crsim" run "$root/tests/scenarios/targets-by-period.yaml" --set 'roster[0].headcount=6' --seed 4 -n 3 \
        --window last-weeks --out run2 -q >/dev/null || fail "crsim run: status $?"
    # targets: class, (target,) metric, threshold_s, goal, mean, ci95, met, p_met, confident, by,
    # periods_met, worst_bucket.
    grep '^2,' t/targets.csv | cut -d, -f2,4- >sweep-targets.txt
    tail -n +2 run2/targets.csv | cut -d, -f2- >run-targets.txt
    [ "$(wc -l <run-targets.txt)" -eq 4 ] && cmp -s sweep-targets.txt run-targets.txt ||
        fail "point 2's targets differ from crsim run: $(diff sweep-targets.txt run-targets.txt | head -6)"
    # Every bucket: run's class ... index, label, mean, ci95, met, p_met, confident against the
    # store's class, (target,) ... bucket, label, mean, ci95, (n), met, p_met, confident.
    grep '^2,' t/target_periods.csv | cut -d, -f2,4-12,14- >sweep-buckets.txt
    tail -n +2 run2/target_periods.csv | cut -d, -f2- >run-buckets.txt
    [ "$(wc -l <run-buckets.txt)" -eq $((24 + 2 + 14)) ] && cmp -s sweep-buckets.txt run-buckets.txt ||
        fail "point 2's buckets differ from crsim run: $(diff sweep-buckets.txt run-buckets.txt | head -6)"
    head -1 t/target_periods.csv | grep -qx 'point,class,target,metric,threshold_s,goal,by,periods_met,bucket,label,mean,ci95,n,met,p_met,confident' ||
        fail "target_periods.csv header: $(head -1 t/target_periods.csv)"
    # The window's buckets only: weeks 3 and 4, days 15 to 28.
    [ "$(q t.sqlite "select group_concat(bucket) from target_periods where point = 1 and by = 'week'")" = "3,4" ] ||
        fail "week buckets outside the window"
    [ "$(q t.sqlite "select min(bucket) || '-' || max(bucket) from target_periods where point = 1 and by = 'day'")" = "15-28" ] ||
        fail "day buckets outside the window"
    # The results view: per point, each target per period's judged row (bucket NULL) and its buckets,
    # the whole-window target on its figure's row; typed, so that the worst hour is found in SQL.
    [ "$(q t.sqlite "select count(*) from results where by <> 'window'")" -eq $((2 * (3 + 24 + 2 + 14))) ] ||
        fail "results rows of targets per period: $(q t.sqlite "select count(*) from results where by <> 'window'")"
    [ "$(q t.sqlite "select count(*) from results where by = 'window' and goal is not null")" -eq 2 ] ||
        fail "the whole-window target is not on its figure's row alone"
    worst=$(q t.sqlite "select label from results where handlers = 6 and by = 'hour_of_day' and bucket is not null order by mean limit 1")
    [ "$worst" = "$(q t.sqlite "select worst_bucket from targets where point = 2 and by = 'hour_of_day'")" ] ||
        fail "the view's worst hour ($worst) is not the target's worst bucket"
    # A store made before targets per period were stored is refused for writing, not mixed.
    cp t.sqlite old.sqlite
    q old.sqlite 'drop view results; drop table target_periods; drop table target_period_replications'
    "$crsim" sweep "$root/tests/sweeps/target-periods.yaml" --out old.sqlite >out.txt 2>err.txt
    [ $? -eq 2 ] || fail "an old store: status $? instead of 2"
    grep -q "old.sqlite was made by an earlier crsim (.*), whose store has no table for targets per period" err.txt ||
        fail "old store: $(cat err.txt)"
    ;;
same-figure)
    # Targets judging one figure against different goals (75% and 95%, or in 50% and 100% of the
    # weeks) are stored and judged each apart, numbered in their class, as crsim run judges them.
    "$crsim" sweep "$root/tests/sweeps/same-figure.yaml" --out f.sqlite -q 2>err.txt || fail "sweep: status $? $(cat err.txt)"
    tables f.sqlite f
    [ "$(q f.sqlite "select group_concat(target) from targets where point = 1")" = "1,2,3,4,5,6,7,8" ] ||
        fail "the targets of point 1 are not numbered 1 to 8: $(q f.sqlite "select group_concat(target) from targets where point = 1")"
    "$crsim" run "$root/tests/scenarios/targets-same-figure.yaml" --set 'roster[0].headcount=7' --seed 4 -n 2 \
        --out run1 -q >/dev/null || fail "crsim run: status $?"
    grep '^1,' f/targets.csv | cut -d, -f2,4- >sweep-targets.txt
    tail -n +2 run1/targets.csv | cut -d, -f2- >run-targets.txt
    [ "$(cut -d, -f7 run-targets.txt | tr '\n' ' ')" = "true false true false true false true false " ] ||
        fail "each pair of targets should have one met and one missed: $(cat run-targets.txt)"
    cmp -s sweep-targets.txt run-targets.txt ||
        fail "point 1's targets differ from crsim run: $(diff sweep-targets.txt run-targets.txt | head -6)"
    grep '^1,' f/target_periods.csv | cut -d, -f2,4-12,14- >sweep-buckets.txt
    tail -n +2 run1/target_periods.csv | cut -d, -f2- >run-buckets.txt
    [ "$(wc -l <run-buckets.txt)" -eq $((2 * (2 + 14))) ] && cmp -s sweep-buckets.txt run-buckets.txt ||
        fail "point 1's buckets differ from crsim run: $(diff sweep-buckets.txt run-buckets.txt | head -6)"
    # A figure's replications and buckets are stored once, whatever the number of its targets.
    [ "$(q f.sqlite "select count(*) from replications where point = 1 and replication = 1 and metric = 'asa_s'")" -eq 1 ] ||
        fail "the average wait is stored more than once"
    [ "$(q f.sqlite "select count(*) from target_period_replications where point = 1 and replication = 1")" -eq $((2 + 14)) ] ||
        fail "buckets stored more than once: $(q f.sqlite "select count(*) from target_period_replications where point = 1 and replication = 1")"
    # Shards merged give the same tables.
    "$crsim" sweep "$root/tests/sweeps/same-figure.yaml" --out s1.sqlite --shard 1/2 -q || fail "shard 1: status $?"
    "$crsim" sweep "$root/tests/sweeps/same-figure.yaml" --out s2.sqlite --shard 2/2 -q || fail "shard 2: status $?"
    "$crsim" merge s1.sqlite s2.sqlite --out all.sqlite 2>/dev/null || fail "merge: status $?"
    tables all.sqlite all
    same_tables f all
    cmp -s f/target_periods.csv all/target_periods.csv || fail "target_periods.csv differs after the merge"
    # A store made before each class's targets were numbered is refused for writing, not mixed.
    cp f.sqlite old.sqlite
    q old.sqlite "drop view results; create table numbered as select * from targets; drop table targets;
      create table targets as select point, class, metric, threshold_s, goal, mean, ci95, met, p_met, confident, by,
      periods_met, worst_bucket from numbered; drop table numbered"
    "$crsim" sweep "$root/tests/sweeps/same-figure.yaml" --out old.sqlite >out.txt 2>err.txt
    [ $? -eq 2 ] || fail "an old store: status $? instead of 2"
    grep -q "old.sqlite was made by an earlier crsim (.*), whose store has no number for each target of a class (targets.target); use a new --out file" err.txt ||
        fail "old store: $(cat err.txt)"
    ;;
mpi)
    if ! "$crsim" --version | grep -qx 'mpi: yes'; then
        echo "SKIPPED: this crsim was built without MPI support (crsim --version: mpi: no)"; exit 77
    fi
    command -v mpirun >/dev/null || { echo "SKIPPED: no mpirun on PATH (openmpi-bin)"; exit 77; }
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    # Open MPI itself leaks at MPI_Finalize, which LeakSanitizer reports in a sanitizer build; the
    # threaded cases above still check crsim's own code for leaks.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    "$crsim" sweep "$sweep" --out threads.sqlite --threads 2 2>/dev/null || fail "threads: status $?"
    mpirun -np 2 --oversubscribe "$crsim" sweep "$sweep" --out ranks.sqlite >out.txt 2>err.txt ||
        fail "mpirun -np 2: status $?: $(cat err.txt)"
    grep -q "tasks/s on 2 ranks" err.txt || fail "no tasks/s report: $(cat err.txt)"
    tables threads.sqlite threads && tables ranks.sqlite ranks
    same_tables threads ranks
    mpirun -np 1 "$crsim" sweep "$sweep" --out one.sqlite 2>/dev/null || fail "mpirun -np 1: status $?"
    tables one.sqlite one
    same_tables threads one
    ;;
mpi-rank-killed)
    # A rank other than 0 killed (SIGKILL) mid-sweep: Open MPI ends the job, the store keeps every
    # task committed so far (rank 0 commits what the ranks report), and the same command again
    # completes it with the values of an uninterrupted threaded run, row for row.
    if ! "$crsim" --version | grep -qx 'mpi: yes'; then
        echo "SKIPPED: this crsim was built without MPI support (crsim --version: mpi: no)"; exit 77
    fi
    command -v mpirun >/dev/null || { echo "SKIPPED: no mpirun on PATH (openmpi-bin)"; exit 77; }
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    # The small sweep with 24 replications a point (288 tasks), long enough to be caught mid-way.
    sed -e "s#^base: .*#base: $root/scenarios/two-rooms.yaml#" -e 's/^replications: 8$/replications: 24/' "$sweep" >longer.yaml
    sweep=longer.yaml total=288
    "$crsim" sweep "$sweep" --out threads.sqlite --threads 2 2>/dev/null || fail "threads: status $?"
    mpirun -np 2 --oversubscribe "$crsim" sweep "$sweep" --out ranks.sqlite >/dev/null 2>mpi-err.txt &
    launcher=$!
    n=$(wait_for_a_task ranks.sqlite)
    # Rank 1: the crsim process writing into this directory's ranks.sqlite whose environment says
    # so (the same command may be running in another checkout's test at the same time).
    rank1=
    for pid in $(pgrep -f "sweep $sweep --out ranks.sqlite"); do
        [ "$(readlink "/proc/$pid/cwd")" = "$PWD" ] || continue
        tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1' && rank1=$pid
    done
    [ -n "$rank1" ] || fail "no rank 1 to kill (after $n tasks stored): $(cat mpi-err.txt)"
    kill -KILL "$rank1" || fail "rank 1 ended before it could be killed (after $n tasks)"
    wait $launcher
    status=$?
    [ $status -ne 0 ] || fail "mpirun reported success after rank 1 was killed"
    n=$(q ranks.sqlite 'select count(*) from tasks')
    [ "$n" -ge 1 ] && [ "$n" -lt $total ] || fail "killed with $n of $total tasks stored: not mid-sweep"
    echo "rank 1 killed with $n of $total tasks stored (mpirun status $status)"
    # Every stored task is whole: its figures are there, as many rows as the threaded run's.
    [ "$(q ranks.sqlite 'select count(*) from replications')" -eq $((n * $(q threads.sqlite 'select count(*) from replications') / total)) ] ||
        fail "the stored tasks' figures are not whole"
    mpirun -np 2 --oversubscribe "$crsim" sweep "$sweep" --out ranks.sqlite >/dev/null 2>err.txt ||
        fail "rerun: status $?: $(cat err.txt)"
    grep -q "; $n already done, $((total - n)) to run on 2 MPI ranks" err.txt || fail "the rerun did not resume: $(cat err.txt)"
    tables threads.sqlite threads && tables ranks.sqlite ranks
    same_tables threads ranks
    ;;
limits)
    # Every point is checked against crsim run's work limits before anything runs: point 2 (10^15
    # calls a year) is refused, named, with status 2 and no store; so are 10^9 replications, up front
    # and within an address space of 4 GB (they once grew to 23 GB).
    cd "$root/tests/sweeps" || exit 1
    "$crsim" sweep beyond-limits.yaml --out "$work/big.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "beyond the limits: status $st instead of 2: $(cat "$work/err.txt")"
    grep -qx "beyond-limits.yaml: error: point 2 (horizon=2w, classes.101.arrivals.per_year=1e15): classes.101.arrivals: about 3.83e+13 call attempts in one replication, beyond the limit of 1e+09 calls in a run (--allow-large runs it anyway)" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
    grep -q "point 1" "$work/err.txt" && fail "point 1 is within the limits: $(cat "$work/err.txt")"
    [ ! -e "$work/big.sqlite" ] && [ ! -s "$work/out.txt" ] || fail "a refused sweep wrote something"
    # Refused before any work, so under ASan (no address limit) it ends as quickly.
    (asan_build || ulimit -v 4000000; exec timeout 20 "$crsim" sweep replications-huge.yaml --out "$work/big.sqlite") >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "10^9 replications: status $st instead of 2: $(cat "$work/err.txt")"
    grep -q "^replications-huge.yaml: error: point 1 (horizon=2w): replications: 1e+09 replications of about" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
    [ ! -e "$work/big.sqlite" ] || fail "a refused sweep made a store"
    # 10^6 points (1000 x 1000): their scenarios would not fit in 4 GB; refused once the first few
    # are measured, not after minutes of loading. The 4 GB is the address limit, which an ASan
    # build cannot run under: there the case ends here.
    asan_build && exit 0
    awk 'BEGIN { printf "base: %s\nreplications: 2\nparameters:\n  warmup: [", ARGV[1];
                 for (i = 1; i <= 1000; i++) printf "%s%ds", (i > 1 ? ", " : ""), i;
                 printf "]\n  classes.101.arrivals.per_year: [";
                 for (i = 1; i <= 1000; i++) printf "%s%d", (i > 1 ? ", " : ""), 100000 + i; print "]" }' \
        "$root/scenarios/two-rooms.yaml" >"$work/grid.yaml"
    (ulimit -v 4000000; exec timeout 20 "$crsim" sweep "$work/grid.yaml" --out "$work/big.sqlite") >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "10^6 points: status $st instead of 2: $(cat "$work/err.txt")"
    grep -q "^$work/grid.yaml:1:1: error: parameters: the sweep's 1000000 points need about .* GB of memory to be checked and kept" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
    [ ! -e "$work/big.sqlite" ] || fail "a refused sweep made a store"
    ;;
same-value)
    # Two parameters that reach one roster line's headcount (by index and by selector): refused,
    # naming both, however the second is written.
    cd "$root/tests/sweeps" || exit 1
    "$crsim" sweep same-value.yaml --out "$work/s.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2: $(cat "$work/err.txt")"
    echo "same-value.yaml:7:60: error: parameters.roster[room=hanley,shift=night,days=weekdays].headcount: reaches roster[4].headcount, as parameters.roster[4].headcount does: sweep each value through one parameter" >"$work/expected.txt"
    cmp -s "$work/err.txt" "$work/expected.txt" || fail "stderr: $(diff "$work/expected.txt" "$work/err.txt")"
    sed 's/^  roster\[4\].headcount: .*/  roster[4]: ["{room: hanley, group: call-handlers, shift: night, days: weekdays, headcount: 4}"]/' \
        same-value.yaml >"$work/whole-line.yaml"
    sed -i "s#^base: .*#base: $root/scenarios/two-rooms.yaml#" "$work/whole-line.yaml"
    "$crsim" sweep "$work/whole-line.yaml" --out "$work/s.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "a whole line and its headcount: status $st instead of 2: $(cat "$work/err.txt")"
    grep -q "reaches roster\[4\].headcount, as parameters.roster\[4\] does" "$work/err.txt" || fail "stderr: $(cat "$work/err.txt")"
    # A line of a `rosters` block, by its block and by a selector on `roster`.
    printf 'base: %s\nreplications: 2\nparameters:\n  %s: [3, 4]\n  %s: [2, 5]\n' "$root/scenarios/merger-officers.yaml" \
        'rosters.restricted-officers[1].headcount' 'roster[group=restricted-officers,shift=late].headcount' >"$work/blocks.yaml"
    "$crsim" sweep "$work/blocks.yaml" --out "$work/s.sqlite" >"$work/out.txt" 2>"$work/err.txt"
    st=$?; [ $st -eq 2 ] || fail "a rosters block's line: status $st instead of 2: $(cat "$work/err.txt")"
    grep -qx "$work/blocks.yaml:5:59: error: parameters.roster\[group=restricted-officers,shift=late\].headcount: reaches rosters.restricted-officers\[1\].headcount, as parameters.rosters.restricted-officers\[1\].headcount does: sweep each value through one parameter" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
    [ ! -e "$work/s.sqlite" ] || fail "a refused sweep made a store"
    ;;
lock)
    # Two sweeps on one store at once: the second exits with status 2 and a clear message, touching
    # nothing; the first completes a store equal to an uninterrupted run's. The first is stopped
    # (SIGSTOP) once it holds the store's lock and let go on after the second has been refused, so
    # that it is surely still running then, however fast this build is.
    "$crsim" sweep "$sweep" --out whole.sqlite --threads 1 2>/dev/null || fail "uninterrupted run: status $?"
    "$crsim" sweep "$sweep" --out busy.sqlite --threads 1 2>first.txt &
    pid=$!
    wait_for_the_lock busy.sqlite || fail "the first sweep never locked busy.sqlite: $(cat first.txt)"
    kill -STOP $pid 2>/dev/null || fail "the first sweep ended before it could be stopped"
    "$crsim" sweep "$sweep" --out busy.sqlite --threads 1 >out.txt 2>err.txt
    st=$?
    kill -CONT $pid
    [ $st -eq 2 ] || fail "second sweep: status $st instead of 2: $(cat err.txt)"
    grep -qx "crsim sweep: error: busy.sqlite is being written by another crsim sweep: wait until it ends, then run this command again to resume the store if the other did not finish it" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty"
    wait $pid || fail "first sweep: status $?: $(cat first.txt)"
    tables whole.sqlite whole && tables busy.sqlite busy
    same_tables whole busy
    ;;
scale-name)
    # scale: and add: apply each value as --set *= and += do (headcounts rounded the same way), and
    # name: gives the column its name; numeric columns are typed (order by sorts numbers as
    # numbers); the view `results` has one row per point and figure with the parameters and the
    # target's verdict; export writes verdicts true/false, as run's targets.csv does.
    "$crsim" sweep "$root/tests/sweeps/scale-name.yaml" --out s.sqlite -q || fail "sweep: status $?"
    [ "$(q s.sqlite "select group_concat(name || ' ' || type, ', ') from pragma_table_info('points')")" = \
      "point INTEGER, horizon TEXT, horizon_value REAL, warmup TEXT, warmup_value REAL, handlers REAL, handlers_value REAL, patience TEXT, patience_value REAL, calls999 INTEGER, calls999_value REAL" ] ||
        fail "points columns: $(q s.sqlite "select group_concat(name || ' ' || type, ', ') from pragma_table_info('points')")"
    [ "$(q s.sqlite "select group_concat(calls999, ' ') from (select distinct calls999 from points order by calls999)")" = "-20000 0 20000" ] ||
        fail "calls999 not sorted as numbers"
    [ "$(q s.sqlite "select group_concat(point, ' ') from (select point from results where name = '101' and metric = 'asa_s' order by handlers, patience, calls999)")" = \
      "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18" ] || fail "results order by handlers"
    [ "$(q s.sqlite "select count(*) from results")" -eq "$(q s.sqlite "select count(*) from summary")" ] || fail "results rows"
    [ "$(q s.sqlite "select count(*) from results where met is not null")" -eq "$(q s.sqlite "select count(*) from targets")" ] ||
        fail "results: not every target has its verdict"
    # Point 14 is handlers 1.2, patience 3min, 999 calls + 0: what crsim run gives for the same overrides.
    [ "$(q s.sqlite "select handlers || ' ' || patience || ' ' || calls999 from points where point = 14")" = "1.2 3min 0" ] ||
        fail "point 14: $(q s.sqlite 'select * from points where point = 14')"
    "$crsim" run "$root/scenarios/two-rooms.yaml" --set horizon=2w --set warmup=1d \
        --set 'roster[group=call-handlers].headcount*=1.2' --set classes.101.patience.mean=3min \
        --set 'classes.999.arrivals.per_year+=0' --seed 5 -n 2 --out run14 -q >/dev/null || fail "crsim run: status $?"
    tables s.sqlite csv
    grep '^14,' csv/replications.csv | cut -d, -f2- >sweep14.txt
    tail -n +2 run14/replications.csv | cut -d, -f2- >run14.txt
    [ -s run14.txt ] && cmp -s sweep14.txt run14.txt || fail "point 14 differs from crsim run: $(diff sweep14.txt run14.txt | head -4)"
    # The headcount scaled by 1.0 is the base scenario's: point 7 (1.0, 3min, -20000) runs the base's lines.
    "$crsim" run "$root/scenarios/two-rooms.yaml" --set horizon=2w --set warmup=1d --set classes.101.patience.mean=3min \
        --set classes.999.arrivals.per_year=120000 --seed 5 -n 2 --out run7 -q >/dev/null || fail "crsim run 7: status $?"
    grep '^7,' csv/replications.csv | cut -d, -f2- >sweep7.txt
    tail -n +2 run7/replications.csv | cut -d, -f2- >run7.txt
    cmp -s sweep7.txt run7.txt || fail "point 7 differs from crsim run"
    [ "$(cut -d, -f9 csv/targets.csv | sort -u | tr '\n' ' ')" = "false met true " ] || fail "export: met is not true/false"
    [ "$(cut -d, -f8 run14/targets.csv | sort -u | tr '\n' ' ')" = "false met true " ] ||
        [ "$(cut -d, -f8 run14/targets.csv | sort -u | tr '\n' ' ')" = "met true " ] || fail "run: met is not true/false"
    ;;
quiet)
    # -q: nothing on stderr when all goes well (progress, notes, summaries and merge's warnings about
    # a missing shard included); an error is still said.
    "$crsim" sweep "$sweep" --out s1.sqlite --shard 1/2 -q --threads 2 >out.txt 2>err.txt || fail "sweep: status $?"
    [ ! -s err.txt ] && [ ! -s out.txt ] || fail "sweep -q said: $(cat err.txt out.txt)"
    "$crsim" merge s1.sqlite --out m.sqlite -q >out.txt 2>err.txt || fail "merge: status $?"
    [ ! -s err.txt ] && [ ! -s out.txt ] || fail "merge -q said: $(cat err.txt out.txt)"
    "$crsim" export m.sqlite --csv csv -q >out.txt 2>err.txt || fail "export: status $?"
    [ ! -s err.txt ] && [ ! -s out.txt ] && [ -s csv/points.csv ] || fail "export -q said: $(cat err.txt out.txt)"
    "$crsim" merge s1.sqlite --out m.sqlite -q >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] && [ -s err.txt ] || fail "merge -q onto an existing store: status $st, stderr: $(cat err.txt)"
    ;;
merge-lock)
    # Two merges into one new store: while one writes (it holds a lock on ALL.sqlite.merging; here
    # flock(1) holds it, as a merge would), a second exits 2 with a clear message and touches nothing;
    # merges started together: one writes the store, the others exit 2, and the store is whole.
    "$crsim" sweep "$sweep" --out s1.sqlite --shard 1/2 --threads 2 2>/dev/null || fail "shard 1: status $?"
    "$crsim" sweep "$sweep" --out s2.sqlite --shard 2/2 --threads 2 2>/dev/null || fail "shard 2: status $?"
    "$crsim" merge s1.sqlite s2.sqlite --out alone.sqlite 2>/dev/null || fail "merge alone: status $?"
    tables alone.sqlite alone
    echo held >all.sqlite.merging
    # flock(1) holds the lock while it runs crsim, which opens the file anew and so is refused.
    flock all.sqlite.merging "$crsim" merge s1.sqlite s2.sqlite --out all.sqlite >out.txt 2>err.txt
    echo $? >st.txt
    [ "$(cat st.txt)" -eq 2 ] || fail "second merge: status $(cat st.txt) instead of 2: $(cat err.txt)"
    grep -qxF "crsim merge: error: all.sqlite is being written by another crsim merge: wait until it ends (all.sqlite then exists), or merge into another file" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] && [ ! -e all.sqlite ] && [ "$(cat all.sqlite.merging)" = held ] || fail "the refused merge touched something"
    rm all.sqlite.merging
    for try in 1 2 3 4 5; do
        rm -f all.sqlite
        for i in 1 2 3; do "$crsim" merge s1.sqlite s2.sqlite --out all.sqlite >/dev/null 2>err$i.txt & eval "p$i=\$!"; done
        ok=0
        for i in 1 2 3; do
            eval "wait \$p$i"; st=$?
            case $st in 0) ok=$((ok + 1)) ;; 2) ;; *) fail "try $try: a merge exited $st: $(cat err$i.txt)" ;; esac
        done
        [ $ok -eq 1 ] || fail "try $try: $ok of 3 concurrent merges wrote all.sqlite"
        tables all.sqlite all
        same_tables alone all
    done
    ;;
threads-limited)
    # A user allowed few processes (ulimit -u 1, by prlimit): worker threads that cannot be created are no error;
    # the sweep runs on what it gets and stores what an unhindered run stores.
    [ "$(id -u)" -eq 0 ] || { echo "SKIPPED: needs root to run as another user with ulimit -u"; exit 77; }
    # The small sweep with 2 replications a point (24 tasks): the threads are started, or refused,
    # before the first task, however many tasks follow.
    sed -e "s#^base: .*#base: $root/scenarios/two-rooms.yaml#" -e 's/^replications: 8$/replications: 2/' "$sweep" >fewer.yaml
    sweep=fewer.yaml
    "$crsim" sweep "$sweep" --out whole.sqlite --threads 2 2>/dev/null || fail "unhindered run: status $?"
    chmod 777 .
    # LeakSanitizer checks for leaks from a thread of its own, which the limit does not let it start.
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    # 1 process: no worker thread at all; 2: one worker, the next refused (that once aborted).
    for nproc in 1 2; do
        setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --nproc=$nproc "$crsim" sweep "$sweep" \
            --out few$nproc.sqlite --threads 4 >out.txt 2>err.txt
        st=$?; [ $st -eq 0 ] || fail "nproc $nproc: status $st: $(cat err.txt)"
        grep -q "terminate" err.txt && fail "nproc $nproc: aborted: $(cat err.txt)"
        note="crsim sweep: note: no worker thread could be started; running on this one"
        [ $nproc -eq 2 ] && note="crsim sweep: note: only 1 of 4 worker threads could be started"
        grep -qx "$note" err.txt || fail "nproc $nproc: stderr: $(cat err.txt)"
        tables whole.sqlite whole && tables few$nproc.sqlite few$nproc
        same_tables whole few$nproc
    done
    ;;
read-only)
    # A finished store is one file (no -wal, no -shm) and exports from read-only storage.
    [ "$(id -u)" -eq 0 ] || { echo "SKIPPED: needs root to make storage another user cannot write"; exit 77; }
    "$crsim" sweep "$sweep" --out r.sqlite --threads 2 2>/dev/null || fail "sweep: status $?"
    [ ! -e r.sqlite-wal ] && [ ! -e r.sqlite-shm ] || fail "the finished store left -wal or -shm files"
    mkdir -p ro out && cp r.sqlite ro/ && chmod 555 ro && chmod 444 ro/r.sqlite && chmod 777 out
    setpriv --reuid=65534 --regid=65534 --clear-groups "$crsim" export ro/r.sqlite --csv out/csv >out.txt 2>err.txt ||
        fail "export from read-only storage: status $?: $(cat err.txt)"
    tables r.sqlite mine
    for t in points replications summary targets; do cmp -s "out/csv/$t.csv" "mine/$t.csv" || fail "$t.csv differs"; done
    ;;
stores)
    # What is not a sweep store, or not one store of one set, is refused with status 2 and a clean
    # message; an incomplete set is merged with a warning that says what is missing.
    "$crsim" sweep "$sweep" --out s1.sqlite --shard 1/2 --threads 2 2>/dev/null || fail "shard 1/2: status $?"
    "$crsim" sweep "$sweep" --out t1.sqlite --shard 1/3 --threads 2 2>/dev/null || fail "shard 1/3: status $?"
    expect2() {  # expect2 LINE COMMAND...: status 2, LINE on stderr, nothing on stdout
        line=$1; shift
        "$@" >out.txt 2>err.txt
        st=$?; [ $st -eq 2 ] || fail "$*: status $st instead of 2: $(cat err.txt)"
        grep -qxF "$line" err.txt || fail "$*: stderr: $(cat err.txt)"
        [ ! -s out.txt ] || fail "$*: stdout not empty"
    }
    expect2 "crsim merge: error: t1.sqlite is shard 1/3 but s1.sqlite is shard 1/2: merge the shards of one --shard I/N" \
        "$crsim" merge s1.sqlite t1.sqlite --out m.sqlite
    expect2 "crsim merge: error: ./s1.sqlite is the same store as s1.sqlite: give each store once" \
        "$crsim" merge s1.sqlite ./s1.sqlite --out m.sqlite
    cp s1.sqlite copy.sqlite
    expect2 "crsim merge: error: copy.sqlite and s1.sqlite both hold shard 1/2" "$crsim" merge s1.sqlite copy.sqlite --out m.sqlite
    [ ! -e m.sqlite ] || fail "a refused merge made a store"
    "$crsim" merge s1.sqlite --out m.sqlite >out.txt 2>err.txt || fail "incomplete merge: status $?: $(cat err.txt)"
    grep -qx "crsim merge: warning: shard 2/2 is missing" err.txt || fail "incomplete merge: $(cat err.txt)"
    grep -qx "crsim merge: warning: incomplete: 48 of 96 tasks are in none of the stores; 12 of 12 points have no summary (\`crsim sweep SWEEP --out m.sqlite\` runs what is missing)" err.txt ||
        fail "incomplete merge: $(cat err.txt)"
    # Another SQLite database: sweep adds no table to it; merge and export refuse it.
    sqlite3 foreign.sqlite 'create table notes(x); insert into notes values (1);'
    expect2 "crsim sweep: error: foreign.sqlite is an SQLite database but not a crsim sweep store (it has no meta table); crsim adds nothing to it" \
        "$crsim" sweep "$sweep" --out foreign.sqlite
    [ "$(q foreign.sqlite "select group_concat(name) from sqlite_master where type = 'table'")" = notes ] ||
        fail "sweep changed the foreign database's tables"
    expect2 "crsim export: error: foreign.sqlite is an SQLite database but not a crsim sweep store (it has no meta table); crsim adds nothing to it" \
        "$crsim" export foreign.sqlite --csv csv
    expect2 "crsim merge: error: foreign.sqlite is an SQLite database but not a crsim sweep store (it has no meta table); crsim adds nothing to it" \
        "$crsim" merge s1.sqlite foreign.sqlite --out m2.sqlite
    # Not a database at all: SQLite's own words are not shown.
    head -c 4096 /dev/urandom >noise.sqlite
    expect2 "crsim export: error: noise.sqlite is not a crsim sweep store (not an SQLite database)" "$crsim" export noise.sqlite --csv csv
    expect2 "crsim merge: error: noise.sqlite is not a crsim sweep store (not an SQLite database)" "$crsim" merge noise.sqlite s1.sqlite --out m2.sqlite
    expect2 "crsim sweep: error: noise.sqlite is not a crsim sweep store (not an SQLite database)" "$crsim" sweep "$sweep" --out noise.sqlite
    [ ! -e m2.sqlite ] || fail "a refused merge made a store"
    # --csv naming a file, not a directory.
    echo keep >file.txt
    expect2 "crsim export: error: --csv file.txt exists and is not a directory (give a new directory name)" "$crsim" export s1.sqlite --csv file.txt
    expect2 "crsim export: error: --csv file.txt/sub: file.txt exists and is not a directory (give a new directory name)" "$crsim" export s1.sqlite --csv file.txt/sub
    [ "$(cat file.txt)" = keep ] || fail "export changed file.txt"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
echo "ok: $case"
