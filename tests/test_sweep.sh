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
    grep -qx "bad-points.yaml:4:34: error: roster\[4\].headcount: expected an integer >= 1, got 0" "$work/err.txt" ||
        fail "stderr: $(cat "$work/err.txt")"
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
    # Rank 1: the crsim process writing into ranks.sqlite whose environment says so.
    rank1=
    for pid in $(pgrep -f "sweep $sweep --out ranks.sqlite"); do
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
*)
    fail "unknown case $case"
    ;;
esac
echo "ok: $case"
