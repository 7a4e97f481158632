#!/bin/sh
# The crsim command line end to end: exit statuses, what goes to stdout and what to stderr, and
# the output files. Usage: test_cli.sh CRSIM WORKDIR CASE [SCENARIO] (run from the repository
# root; SCENARIO only for the golden case: that shipped scenario alone, e.g. merger).
set -u
crsim=$1 work=$2 case=$3 only=${4:-}
# A fresh work directory: files an earlier run left (a result set, a staging directory) would
# change what the out-file cases see.
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
root=$OLDPWD
fail() { echo "FAIL: $*"; exit 1; }
# An AddressSanitizer build (g++'s links libasan, clang's carries it inside) reserves terabytes of
# address space for its shadow memory, so it cannot start under `ulimit -v`.
asan_build() { grep -qa __asan_init "$crsim"; }

case $case in
bad-scenario)
    # A bad scenario: status 2, the file:line:col message on stderr, nothing on stdout.
    "$crsim" run "$root/tests/scenarios/bad-base.yaml" >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2"
    grep -qx "$root/tests/scenarios/bad-base.yaml:3:10: error: horizon: expected a duration with a unit (s, min, h, d, w), e.g. 30s" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty: $(cat out.txt)"
    ;;
did-you-mean)
    # A mistyped command or option: exit 2, and the closest name is suggested (a typo, or the same
    # last words); nothing is guessed for a word close to nothing.
    said() {  # said LINE COMMAND...: status 2, LINE on stderr, nothing on stdout
        line=$1; shift
        "$@" >out.txt 2>err.txt
        st=$?; [ $st -eq 2 ] || fail "$*: status $st instead of 2"
        grep -qxF "$line" err.txt || fail "$*: stderr: $(cat err.txt)"
        [ ! -s out.txt ] || fail "$*: stdout not empty"
    }
    two="$root/scenarios/two-rooms.yaml"
    said "crsim: unknown command 'runn' (did you mean 'run'?)" "$crsim" runn "$two"
    said "crsim: unknown command 'Compare' (did you mean 'compare'?)" "$crsim" Compare "$two"
    said "crsim: unknown command 'stafff' (did you mean 'staff'?)" "$crsim" stafff "$two"
    said "crsim: unknown command 'simulate'" "$crsim" simulate "$two"
    said "crsim erlang: error: unrecognised option '--calls-per-hour' (did you mean --arrivals-per-hour?)" \
        "$crsim" erlang --calls-per-hour 120 --handle-time 6min --agents 12
    said "crsim compare: error: unrecognised option '--windw' (did you mean --window?)" "$crsim" compare "$two" "$two" --windw all
    said "crsim run: error: unrecognised option '--seeds' (did you mean --seed?)" "$crsim" run "$two" --seeds 3
    said "crsim sweep: error: unrecognised option '--shards' (did you mean --shard?)" "$crsim" sweep x.yaml --shards 1/2
    said "crsim export: error: unrecognised option '--cvs' (did you mean --csv?)" "$crsim" export x.sqlite --cvs d
    said "crsim run: error: unrecognised option '--frobnicate'" "$crsim" run "$two" --frobnicate
    ;;
fail-on-miss)
    # --fail-on-miss: exit 3 when a target is missed, after writing every output (stderr says how
    # many, even with -q: the run failed its targets); 0 when every target is met; without the
    # option a missed target is no failure.
    "$crsim" run "$root/scenarios/merger.yaml" -n 4 -q --fail-on-miss --out res -f csv >out.csv 2>err.txt
    st=$?; [ $st -eq 3 ] || fail "merger: status $st instead of 3: $(cat err.txt)"
    grep -qx "crsim run: 4 of 4 targets missed (--fail-on-miss)" err.txt && [ "$(wc -l <err.txt)" -eq 1 ] ||
        fail "merger: stderr: $(cat err.txt)"
    [ -s res/targets.csv ] && cmp -s out.csv res/summary.csv || fail "merger: the outputs are not all written"
    [ "$(grep -c ',false,' res/targets.csv)" -eq 4 ] || fail "merger: targets.csv: $(cat res/targets.csv)"
    "$crsim" run "$root/scenarios/merger.yaml" -n 4 -q >/dev/null 2>err.txt || fail "merger without the option: status $?"
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 4 -q --fail-on-miss >/dev/null 2>err.txt
    st=$?; [ $st -eq 0 ] && [ ! -s err.txt ] || fail "two-rooms: status $st: $(cat err.txt)"
    ;;
quiet)
    # -q: stderr empty unless something fails, the scenario's warnings included; without -q the
    # warning is said. An error is said with -q too.
    sed 's/days: weekdays, headcount: 6}/days: weekdays, headcount: 6, weeks: {from: 30}}/' "$root/scenarios/two-rooms.yaml" >warns.yaml
    grep -q 'from: 30' warns.yaml || fail "no line changed"
    "$crsim" run warns.yaml -n 2 >/dev/null 2>err.txt || fail "run: status $?"
    grep -q "warning: roster\[0\].weeks: week 30 starts after the horizon" err.txt || fail "run: no warning: $(cat err.txt)"
    "$crsim" run warns.yaml -n 2 -q --out res >/dev/null 2>err.txt || fail "run -q: status $?"
    [ ! -s err.txt ] || fail "run -q said: $(cat err.txt)"
    "$crsim" compare warns.yaml "$root/scenarios/one-room.yaml" -n 2 -q >/dev/null 2>err.txt || fail "compare -q: status $?"
    [ ! -s err.txt ] || fail "compare -q said: $(cat err.txt)"
    "$crsim" run warns.yaml -n 0 -q >/dev/null 2>err.txt
    st=$?; [ $st -eq 2 ] && [ -s err.txt ] || fail "run -q with an error: status $st, stderr: $(cat err.txt)"
    ;;
bad-option)
    "$crsim" run "$root/scenarios/two-rooms.yaml" --replications 0 >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2"
    grep -q "crsim run: error: --replications must be at least 1" err.txt || fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty"
    ;;
out-files)
    # --out writes the four files whole; periods.csv has its exact header and weekly rows.
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 --out res --format json >summary.txt 2>err.txt || fail "status $?"
    for f in summary.json summary.csv replications.csv periods.csv; do [ -s "res/$f" ] || fail "res/$f missing"; done
    cmp -s summary.txt res/summary.json || fail "stdout differs from summary.json"
    [ "$(head -n 1 res/periods.csv)" = "scenario,kind,name,period,index,metric,threshold_s,mean,ci95" ] || fail "periods.csv header"
    grep -q '^two-rooms,class,999,week,2,service_level,10,' res/periods.csv || fail "no weekly 999 service level row"
    grep -q '"scenario": *"two-rooms"' res/summary.json || fail "summary.json has no scenario"
    [ "$(head -n 1 res/targets.csv)" = "scenario,class,metric,threshold_s,goal,mean,ci95,met,p_met,confident" ] || fail "targets.csv header"
    grep -q '^two-rooms,999,service_level,10,0.9,' res/targets.csv || fail "no 999 target row"
    grep -q '^two-rooms,total,all,rostered_cost,,' res/summary.csv || fail "no total rostered cost row"
    ls res | grep -v -x -e summary.json -e summary.csv -e targets.csv -e replications.csv -e periods.csv && fail "stray files in res"
    ;;
set-roster)
    # validate --set lists the roster it got, the changed lines marked; a bad path is a located error.
    "$crsim" validate "$root/scenarios/two-rooms.yaml" --set 'roster[shift=night].headcount+=3' >out.txt 2>err.txt ||
        fail "status $?: $(cat err.txt)"
    grep -q "^roster (20 lines, 4 changed by --set, marked \*):$" out.txt || fail "no roster header: $(cat out.txt)"
    [ "$(grep -c '^\* ' out.txt)" -eq 4 ] || fail "not 4 changed lines: $(cat out.txt)"
    grep -qx '\* roster\[9\]   {room: hanley, group: call-handlers, shift: night, days: weekends, headcount: 6}' out.txt ||
        fail "hanley weekend night line: $(cat out.txt)"
    grep '^\* ' out.txt | grep -v 'shift: night' && fail "a line other than a night one changed"
    # headcount=0 switches a line off: the run goes, equals the scenario with `headcount: 0` written
    # on that line, and differs from the original.
    "$crsim" run "$root/scenarios/two-rooms.yaml" --set 'roster[0].headcount=0' -n 2 -f json >off.json 2>err.txt ||
        fail "headcount=0: status $?: $(cat err.txt)"
    [ "$(grep -c 'headcount: 6}' "$root/scenarios/two-rooms.yaml")" -eq 1 ] || fail "two-rooms has not one line of 6"
    sed 's/headcount: 6}/headcount: 0}/' "$root/scenarios/two-rooms.yaml" >two-rooms.yaml
    "$crsim" run two-rooms.yaml -n 2 -f json >zero.json 2>err.txt || fail "headcount: 0: status $?: $(cat err.txt)"
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 -f json >all.json 2>err.txt || fail "original: status $?"
    for f in off zero all; do grep -v '"scenario_sha256"' $f.json >$f.figures; done
    cmp -s off.figures zero.figures || fail "--set headcount=0 differs from headcount: 0"
    cmp -s off.figures all.figures && fail "headcount=0 changed nothing"
    "$crsim" run "$root/scenarios/two-rooms.yaml" --set 'roster[shift=nigth].headcount+=3' >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2 for a bad path"
    grep -qxF -e "--set 'roster[shift=nigth].headcount+=3': error: roster[shift=nigth]: no roster line has shift 'nigth'; did you mean 'night'? (lines have shift early, day, late, evening or night)" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty"
    ;;
top-level)
    # crsim --help, --version, no command and an unknown command.
    "$crsim" --help >out.txt 2>err.txt || fail "--help: status $?"
    for c in run validate check erlang; do grep -q "^  $c " out.txt || fail "--help does not list $c"; done
    "$crsim" --version >out.txt 2>err.txt || fail "--version: status $?"
    grep -qx 'crsim [0-9][0-9.]*' out.txt || fail "--version: $(cat out.txt)"
    "$crsim" nosuch >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "unknown command: status $st instead of 2"
    grep -qx "crsim: unknown command 'nosuch'" err.txt || fail "unknown command: $(cat err.txt)"
    [ ! -s out.txt ] || fail "unknown command: stdout not empty"
    "$crsim" >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "no command: status $st instead of 2"
    "$crsim" run --help >out.txt 2>err.txt || fail "run --help: status $?"
    grep -q '^Usage: crsim run SCENARIO.yaml' out.txt || fail "run --help: $(head -n 1 out.txt)"
    ;;
validate-check)
    # validate and check: status 0 with the summary line; a bad scenario is status 2 for both.
    "$crsim" validate "$root/scenarios/one-room.yaml" >out.txt 2>err.txt || fail "validate: status $?"
    grep -q "^$root/scenarios/one-room.yaml: ok (2 classes, 1 group, 1 room, " out.txt || fail "validate: $(cat out.txt)"
    "$crsim" check "$root/scenarios/one-room.yaml" >out.txt 2>err.txt || fail "check: status $?"
    [ "$(head -n 1 out.txt)" = "one-room: 2 classes, 1 group, 1 room, 20 roster lines" ] || fail "check: $(head -n 1 out.txt)"
    # The rostered cost check gives is run's total.rostered_cost (golden, tests/golden/one-room.csv).
    cost=$(grep '^one-room,total,all,rostered_cost,,' "$root/tests/golden/one-room.csv" | cut -d, -f6)
    grep -qx "rostered cost (warm-up to horizon): $cost (call-handlers $cost)" out.txt || fail "check's cost, not $cost: $(cat out.txt)"
    "$crsim" check "$root/scenarios/one-room.yaml" --format json >out.txt 2>err.txt || fail "check json: status $?"
    grep -q '^  "scenario": "one-room",$' out.txt || fail "check json: $(head -n 3 out.txt)"
    for cmd in validate check; do
        "$crsim" $cmd "$root/tests/scenarios/bad-base.yaml" >out.txt 2>err.txt
        st=$?; [ $st -eq 2 ] || fail "$cmd of a bad scenario: status $st instead of 2"
        grep -q "bad-base.yaml:3:10: error: horizon:" err.txt || fail "$cmd: $(cat err.txt)"
    done
    ;;
format-csv)
    # --format csv prints summary.csv's content exactly.
    "$crsim" run "$root/scenarios/one-room.yaml" -n 2 --out res --format csv >summary.txt 2>err.txt || fail "status $?"
    cmp -s summary.txt res/summary.csv || fail "stdout differs from summary.csv"
    [ "$(head -n 1 summary.txt)" = "scenario,kind,name,metric,threshold_s,mean,ci95" ] || fail "header"
    [ "$(grep -vc '^one-room,' summary.txt)" -eq 1 ] || fail "a row not of one-room"
    ;;
golden)
    # Every shipped scenario at seed 1, 2 replications, against its stored summary (tests/golden/):
    # the figures the README quotes cannot drift unnoticed. After an intended change of results,
    # regenerate them with tools/update-golden.sh and say why in the commit. ctest runs each
    # scenario as a test of its own (tests/CMakeLists.txt), so that the 17 runs share the cores
    # instead of forming the suite's tail; without SCENARIO, all of them one after the other.
    if [ -n "$only" ]; then set -- "$root/scenarios/$only.yaml"; else set -- "$root"/scenarios/*.yaml; fi
    for f in "$@"; do
        [ -f "$f" ] || fail "no shipped scenario $f"
        name=$(basename "$f" .yaml)
        [ -f "$root/tests/golden/$name.csv" ] || fail "no tests/golden/$name.csv for the shipped scenario $name"
        "$crsim" run "$f" -n 2 --seed 1 --threads 1 --format csv >"$name.csv" 2>err.txt || fail "$name: status $?"
        cmp -s "$name.csv" "$root/tests/golden/$name.csv" ||
            fail "$name differs from tests/golden/$name.csv: $(diff "$root/tests/golden/$name.csv" "$name.csv" | head -n 5)"
    done
    ;;
threads)
    # Same seed, any number of threads: the same figures, to the last digit.
    "$crsim" run "$root/scenarios/one-room.yaml" -n 4 -t 1 --format json >one.json 2>/dev/null || fail "status $?"
    "$crsim" run "$root/scenarios/one-room.yaml" -n 4 -t 2 --format json >two.json 2>/dev/null || fail "status $?"
    cmp -s one.json two.json || fail "results differ between 1 and 2 threads"
    ;;
erlang-unstable)
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --agents 12 --threshold 20s >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2"
    grep -q "unstable" err.txt || fail "stderr: $(cat err.txt)"
    ;;
fit-bank)
    # The real bank log: a valid scenario in seconds; PS's fitted mean handle time within 1% of the
    # sample mean; the weekly profile zero where the centre is closed (Saturday until 18:00).
    "$crsim" fit "$root/scenarios/data/bank-1999-10.csv" --out bank.yaml --note 'the "Anonymous Bank" log, C:\data' \
        >out.txt 2>err.txt || fail "status $?: $(cat err.txt)"
    "$crsim" validate bank.yaml >/dev/null 2>&1 || fail "bank.yaml does not validate"
    # A note is a comment: its quotes and backslashes as written.
    [ "$(head -1 bank.yaml)" = '# the "Anonymous Bank" log, C:\data' ] || fail "note: $(head -1 bank.yaml)"
    awk '$1 == "PS" { split($7, m, "/"); r = m[1] / m[2]; exit !(r > 0.99 && r < 1.01) }' out.txt ||
        fail "PS handle mean vs sample: $(grep '^PS' out.txt)"
    grep -A8 '^  PS:' bank.yaml | grep -q '^      sat: \[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,' ||
        fail "PS profile not zero on Saturday before 18:00"
    grep -q "warning: class 'PE' has only 130 calls" err.txt || fail "PE not flagged: $(cat err.txt)"
    ;;
fit-bad-log)
    printf 'arrival,class,outcome,wait_s,handle_s\n2024-01-01T08:00:00,A,answered,3,40\n2024-01-01T08:01:00,A,answred,3,40\n' >bad.csv
    "$crsim" fit bad.csv --out bad.yaml >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2"
    grep -qx "bad.csv:3: error: column 'outcome': expected answered or abandoned, got 'answred' (--skip-bad leaves bad rows out, counted)" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -e bad.yaml ] || fail "bad.yaml written"
    "$crsim" fit bad.csv --out bad.yaml --skip-bad >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2 with one good row"
    grep -q "warning: --skip-bad left out 1 bad row:" err.txt || fail "skip not reported: $(cat err.txt)"
    grep -q "class 'A': 1 answered calls in the period, at least 10 are needed" err.txt || fail "stderr: $(cat err.txt)"
    ;;
calls-log-round-trip)
    # run --calls-log writes replication 1's calls; fit reads them back into a valid scenario.
    "$crsim" run "$root/tests/scenarios/fit-round-trip.yaml" -n 2 --calls-log calls.csv >/dev/null 2>err.txt || fail "run: $(cat err.txt)"
    [ "$(head -n 1 calls.csv)" = "arrival,class,outcome,wait_s,handle_s,wrap_s,agent,room,group,attempt,priority" ] || fail "header"
    grep -q '^2024-01-01T00:0[0-9]:[0-9][0-9]\.[0-9][0-9][0-9],A,answered,' calls.csv || fail "no answered A row"
    grep -q ',abandoned,[0-9.]*,,,,centre,,1,[0-9][^,]*$' calls.csv || fail "no abandoned row"
    "$crsim" fit calls.csv --out fitted.yaml >out.txt 2>err.txt || fail "fit: $(cat err.txt)"
    "$crsim" validate fitted.yaml >/dev/null 2>&1 || fail "fitted.yaml does not validate"
    grep -q '^start_date: 2024-01-01' fitted.yaml || fail "start_date"
    grep -q '^horizon: 28d' fitted.yaml || fail "horizon"
    ;;
fit-hostile)
    # Issue 22: an output that is an input, or two outputs in one file, is refused and nothing is
    # touched; a newline in a class name and a quote in the log's path are written as YAML escapes,
    # so the scenario validates and backtests; a closed stdout loses no summary silently.
    "$crsim" run "$root/tests/scenarios/fit-round-trip.yaml" -n 1 --calls-log calls.csv >/dev/null 2>err.txt || fail "run: $(cat err.txt)"
    cp calls.csv x.csv && ln x.csv y.csv
    "$crsim" fit x.csv --out x.csv >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "--out the log: status $st instead of 2"
    grep -qxF "crsim fit: error: --out x.csv is the call log (x.csv), which this command reads: it would be overwritten" err.txt ||
        fail "--out the log: $(cat err.txt)"
    cmp -s calls.csv x.csv || fail "the log was changed"
    "$crsim" fit x.csv --out y.csv >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "--out a hard link of the log: status $st instead of 2"
    cmp -s calls.csv x.csv || fail "the log was changed through its link"
    # Out of memory all the same (--allow-large under a low ulimit): said with fit's own options. Not
    # under ASan, whose shadow memory needs more address space than the limit.
    if ! asan_build; then
        (ulimit -v 1000000 && exec "$crsim" fit x.csv --out oom.yaml --from 2024-01-01 --to 2299-12-31 --interval 1min --allow-large) >out.txt 2>err.txt
        st=$?; [ $st -eq 1 ] || fail "out of memory: status $st instead of 1: $(cat err.txt)"
        grep -qxF "crsim fit: error: out of memory (--from and --to, --classes or a longer --interval make the fit smaller)" err.txt ||
            fail "out of memory: $(cat err.txt)"
    fi
    # Handle and wrap-up times up to 1e10 s, each within the limit: the families beyond what a
    # scenario can hold are not chosen, and the scenario written validates.
    "$crsim" fit "$root/tests/bad_inputs/durations-near-limit.csv" --out near.yaml >out.txt 2>err.txt || fail "near the limit: $(cat err.txt)"
    "$crsim" validate near.yaml >/dev/null 2>err.txt || fail "near.yaml does not validate: $(cat err.txt)"
    # A log larger than the limit is refused by its size, before a byte is read.
    truncate -s 70000000 big.csv
    "$crsim" fit big.csv --out big.yaml >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "a 70 MB log: status $st instead of 2"
    grep -qxF "big.csv:0: error: the file holds 70000000 bytes, more than 64 MiB, the limit for a log or table (--allow-large reads it anyway)" err.txt ||
        fail "a 70 MB log: $(cat err.txt)"
    rm -f big.csv
    "$crsim" fit x.csv --out s.yaml --report ./s.yaml >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "--report on --out: status $st instead of 2"
    grep -qxF "crsim fit: error: --report ./s.yaml is the file --out writes (s.yaml): give each output a file of its own" err.txt ||
        fail "--report on --out: $(cat err.txt)"
    [ ! -e s.yaml ] || fail "s.yaml written"
    awk 'BEGIN { FS = OFS = "," } NR > 1 && $2 == "A" { $2 = "\"A\nnew\"" } NR > 1 && $2 == "B" { $2 = "flat" } { print }' \
        calls.csv >'log"q.csv'
    "$crsim" fit 'log"q.csv' --out fitted.yaml >out.txt 2>err.txt || fail "fit: $(cat err.txt)"
    "$crsim" validate fitted.yaml >/dev/null 2>err.txt || fail "fitted.yaml does not validate: $(cat err.txt)"
    grep -qxF '  "A\nnew":' fitted.yaml || fail "class key: $(grep -n new fitted.yaml | head -n 3)"
    # A class named as the built-in flat profile gets a profile of another name.
    grep -qxF '      profile: flat-profile' fitted.yaml || fail "flat's profile: $(grep -n 'profile: ' fitted.yaml)"
    grep -qF 'description: "fitted to 2024-01-01 .. 2024-01-28 of log\"q.csv"' fitted.yaml || fail "description"
    "$crsim" backtest fitted.yaml 'log"q.csv' -n 2 >table.txt 2>err.txt || fail "backtest: $(cat err.txt)"
    grep -q '^  offered ' table.txt || fail "table: $(cat table.txt)"
    # A reader that leaves early ends the summary quietly, as for every command (exit 0, nothing
    # said); a stdout that cannot be written (a full disk) is an error, naming what is written.
    { "$crsim" fit x.csv --out closed.yaml 2>err.txt; echo $? >status.txt; } | true
    [ "$(cat status.txt)" -eq 0 ] || fail "closed stdout: status $(cat status.txt) instead of 0"
    grep -q "stdout" err.txt && fail "closed stdout: $(cat err.txt)"
    "$crsim" validate closed.yaml >/dev/null 2>&1 || fail "closed.yaml does not validate"
    "$crsim" fit x.csv --out full.yaml >/dev/full 2>err.txt
    st=$?; [ $st -eq 1 ] || fail "full stdout: status $st instead of 1"
    grep -qxF "crsim fit: error: cannot write the summary to stdout: No space left on device (full.yaml is written)" err.txt ||
        fail "full stdout: $(cat err.txt)"
    ;;
backtest-hostile)
    # Issue 22: a log path that is not UTF-8 gives the normal table and valid JSON (the byte
    # replaced); /dev/urandom is read only as far as its header; outputs onto inputs are refused.
    "$crsim" fit "$root/scenarios/data/bank-1999-10.csv" --out bank.yaml >/dev/null 2>&1 || fail "fit"
    log=$(printf 'caf\351.csv')
    cp "$root/scenarios/data/bank-1999-10.csv" "$log"
    "$crsim" backtest bank.yaml "$log" -n 2 >table.txt 2>err.txt || fail "table: $(cat err.txt)"
    grep -q '^  offered  *32924 ' table.txt || fail "table: $(head -c 600 table.txt)"
    "$crsim" backtest bank.yaml "$log" -n 2 --format json >out.json 2>err.txt || fail "json: $(cat err.txt)"
    python3 -c 'import json, sys; j = json.load(open("out.json", encoding="utf-8")); sys.exit(j["log"] != "caf\ufffd.csv")' ||
        fail "json not valid, or log not caf\ufffd.csv: $(head -c 300 out.json)"
    timeout 120 "$crsim" backtest bank.yaml /dev/urandom >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "/dev/urandom: status $st instead of 2"
    grep -q '^/dev/urandom:[0-9]*: error: ' err.txt || fail "/dev/urandom: $(head -c 300 err.txt)"
    "$crsim" backtest bank.yaml "$log" --out res --report res/backtest.csv >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "--report in --out: status $st instead of 2"
    grep -qxF "crsim backtest: error: --report res/backtest.csv is the file --out writes (res/backtest.csv): give each output a file of its own" err.txt ||
        fail "--report in --out: $(cat err.txt)"
    "$crsim" backtest bank.yaml "$log" --report bank.yaml >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "--report on the scenario: status $st instead of 2"
    "$crsim" validate bank.yaml >/dev/null 2>&1 || fail "the scenario was overwritten"
    ;;
backtest-bank)
    # Fit the bank log, backtest the fit against it: per class, overall and by hour, table and JSON.
    "$crsim" fit "$root/scenarios/data/bank-1999-10.csv" --out bank.yaml >/dev/null 2>&1 || fail "fit"
    "$crsim" backtest bank.yaml "$root/scenarios/data/bank-1999-10.csv" -n 3 >table.txt 2>err.txt || fail "table: $(cat err.txt)"
    grep -q '^Class PS$' table.txt && grep -q '^All classes$' table.txt && grep -q '^  10:00 ' table.txt || fail "table: $(cat table.txt)"
    grep -q '^  offered  *32924 ' table.txt || fail "observed offered"
    "$crsim" backtest bank.yaml "$root/scenarios/data/bank-1999-10.csv" -n 3 --format json --out res >out.json 2>err.txt ||
        fail "json: $(cat err.txt)"
    cmp -s out.json res/backtest.json || fail "stdout differs from backtest.json"
    grep -q '^  "classes": {$' out.json && grep -q '^    "PS": {$' out.json && grep -q '^  "by_hour": \[$' out.json ||
        fail "json shape"
    for key in '"observed": 22137' '"simulated": {' '"pi95": \[' '"inside": ' '"abandoned_pct": {' '"asa_s": {' '"hour": 23'; do
        grep -q "$key" out.json || fail "json lacks $key"
    done
    [ "$(head -n 1 res/backtest.csv)" = "scope,class,hour,metric,observed,mean,ci95,pi_low,pi_high,inside" ] || fail "csv header"
    ;;
stdout-closed)
    # A reader that stops early: the files are written first and whole, the rest of the report is
    # dropped quietly, and the status is the one crsim gives with the reader still there (0), on
    # every try: whether a write came before or after the reader left is timing, not a result.
    # `true` reads nothing and exits at once, long before the report is written.
    rm -rf res
    { "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 --out res --format csv 2>err.txt; echo $? >status.txt; } | true
    [ "$(cat status.txt)" -eq 0 ] || fail "status $(cat status.txt) instead of 0; stderr: $(cat err.txt)"
    grep -q "error\|Broken pipe" err.txt && fail "stderr: $(cat err.txt)"
    for f in summary.json summary.csv replications.csv periods.csv; do [ -s "res/$f" ] || fail "res/$f missing"; done
    # A reader that takes a little and leaves: the same status and an empty stderr every time (-q),
    # for run, compare and check; the result set whole every time. One week of the two rooms: a
    # report as long as the merger's 26 weeks give (7 KB), at a tenth of the simulation; and the two
    # rooms' check (7 lines), a fifth of the merger's under ASan.
    i=0
    while [ $i -lt 12 ]; do
        i=$((i + 1))
        rm -rf res
        { "$crsim" run "$root/scenarios/two-rooms.yaml" --set horizon=1w --set warmup=1d --format json -n 2 -q --out res 2>err.txt; echo $? >status.txt; } | head -c 10 >/dev/null
        [ "$(cat status.txt)" -eq 0 ] && [ ! -s err.txt ] || fail "run, try $i: status $(cat status.txt), stderr: $(cat err.txt)"
        [ -s res/summary.json ] && [ -s res/replications.csv ] || fail "run, try $i: the result set is not whole"
        { "$crsim" check "$root/scenarios/two-rooms.yaml" 2>err.txt; echo $? >status.txt; } | head -3 >/dev/null
        [ "$(cat status.txt)" -eq 0 ] && [ ! -s err.txt ] || fail "check, try $i: status $(cat status.txt), stderr: $(cat err.txt)"
    done
    { "$crsim" compare "$root/scenarios/two-rooms.yaml" "$root/scenarios/one-room.yaml" -n 2 -q 2>err.txt; echo $? >status.txt; } | head -c 1 >/dev/null
    [ "$(cat status.txt)" -eq 0 ] && [ ! -s err.txt ] || fail "compare: status $(cat status.txt), stderr: $(cat err.txt)"
    # A full disk is still an error (status 1, said on stderr).
    if [ -w /dev/full ]; then
        "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 >/dev/full 2>err.txt
        st=$?; [ $st -eq 1 ] || fail "/dev/full: status $st instead of 1"
        grep -qx "crsim run: error: cannot write the report to stdout: No space left on device" err.txt || fail "/dev/full: stderr: $(cat err.txt)"
    fi
    ;;
out-checked-first)
    # An --out that cannot take the results is refused before simulating (nothing on stdout, no
    # "replications of" progress line), whoever runs the test: as root, as the user nobody.
    mkdir -p locked foreign && chmod 555 locked && echo keep >foreign/notes.txt
    as_user=""
    [ "$(id -u)" -eq 0 ] && as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
    $as_user "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 --out locked >out.txt 2>err.txt
    st=$?; [ $st -eq 1 ] || fail "unwritable: status $st instead of 1"
    grep -qx "crsim run: error: cannot write in locked: Permission denied" err.txt || fail "unwritable: $(cat err.txt)"
    grep -q "replications of" err.txt && fail "unwritable: simulated before refusing"
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 --out foreign >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "foreign: status $st instead of 2"
    grep -q "crsim run: error: --out foreign holds 'notes.txt', which no crsim run wrote there" err.txt ||
        fail "foreign: $(cat err.txt)"
    grep -q "replications of" err.txt && fail "foreign: simulated before refusing"
    [ "$(cat foreign/notes.txt)" = keep ] || fail "foreign: notes.txt changed"
    [ ! -s out.txt ] || fail "stdout not empty"
    ;;
device-targets)
    # A result file whose target exists and is not a regular file (a FIFO; as root also a character
    # device like /dev/null; or a symbolic link to one) is refused with status 2, before any work,
    # and left as it is: never renamed over. For every command that writes files.
    mkfifo fifo || fail "mkfifo"
    targets=fifo
    if [ "$(id -u)" -eq 0 ] && mknod null c 1 3 2>/dev/null; then targets="fifo null"; fi
    two="$root/scenarios/two-rooms.yaml" log="$root/scenarios/data/bank-1999-10.csv"
    "$crsim" sweep "$root/tests/sweeps/small.yaml" --out store.sqlite --shard 1/96 2>/dev/null || fail "sweep: status $?"
    for target in $targets; do
        kind="a FIFO"; [ "$target" = null ] && kind="a character device"
        mkdir -p dir && ln -sf "../$target" dir/compare.json && ln -sf "../$target" dir/staffed.yaml &&
            ln -sf "../$target" dir/meta.csv || fail "links"
        refused() {  # refused FILE COMMAND...
            file=$1; shift
            timeout 120 "$@" >out.txt 2>err.txt
            st=$?; [ $st -eq 2 ] || fail "$* with $target: status $st instead of 2: $(cat err.txt)"
            grep -qxF "crsim $2: error: cannot write $file: it is $kind, and crsim writes result files only as regular files (give a new file name)" err.txt ||
                fail "$* with $target: stderr: $(cat err.txt)"
            grep -q "replications of" err.txt && fail "$* with $target: simulated before refusing"
            if [ "$target" = fifo ]; then [ -p fifo ]; else [ -c null ]; fi || fail "$* replaced $target"
        }
        refused "$target" "$crsim" run "$two" -n 2 --report "$target"
        refused "$target" "$crsim" run "$two" -n 2 --calls-log "$target"
        refused dir/compare.json "$crsim" compare "$two" "$root/scenarios/one-room.yaml" -n 2 --out dir
        refused "$target" "$crsim" compare "$two" "$root/scenarios/one-room.yaml" -n 2 --report "$target"
        refused dir/staffed.yaml "$crsim" staff "$root/scenarios/merger-staffing.yaml" --out dir
        refused "$target" "$crsim" sweep "$root/tests/sweeps/small.yaml" --out "$target"
        refused dir/meta.csv "$crsim" export store.sqlite --csv dir
        # A log that does not exist: the outputs are refused before the log is read.
        refused "$target" "$crsim" fit no-such-log.csv --out "$target"
        refused "$target" "$crsim" fit no-such-log.csv --out fitted.yaml --report "$target"
        refused "$target" "$crsim" backtest "$root/scenarios/bank-1999-10.yaml" "$log" -n 2 --report "$target"
        ln -sf "../$target" dir/backtest.csv || fail "link"
        refused dir/backtest.csv "$crsim" backtest "$root/scenarios/bank-1999-10.yaml" "$log" -n 2 --out dir
    done
    # A result directory named by a device or a file (--out /dev/null), or under one: exit 2 before
    # any work, naming the part that is not a directory; the device or file is left as it is.
    echo keep >file
    for target in $targets file; do
        for command in "compare $two $root/scenarios/one-room.yaml -n 2" "staff $root/scenarios/merger-staffing.yaml" "run $two -n 2" \
            "backtest $root/scenarios/bank-1999-10.yaml $log -n 2"; do
            for out in "$target" "$target/sub"; do
                set -- $command
                timeout 120 "$crsim" "$@" --out "$out" >out.txt 2>err.txt
                st=$?; [ $st -eq 2 ] || fail "$command --out $out: status $st instead of 2: $(cat err.txt)"
                # The message names the option's value, or the part of it that is not a directory
                # (run checks DIR's parent first, so --out file/sub names file).
                grep -qxF "crsim $1: error: --out $out exists and is not a directory (give a new directory name)" err.txt ||
                    grep -qxF "crsim $1: error: --out $out: $target exists and is not a directory (give a new directory name)" err.txt ||
                    grep -qxF "crsim $1: error: --out $target exists and is not a directory (give a new directory name)" err.txt ||
                    fail "$command --out $out: stderr: $(cat err.txt)"
                grep -q "replications of\|search\|backtest of" err.txt && fail "$command --out $out: worked before refusing"
            done
        done
        case $target in fifo) [ -p fifo ] ;; null) [ -c null ] ;; file) [ "$(cat file)" = keep ] ;; esac ||
            fail "--out $target replaced $target"
    done
    ;;
csv-formulas)
    # Text cells that a spreadsheet would run as formulas (starting =, +, -, @) get a leading ' in
    # every CSV file crsim writes; numbers, negative ones included, are written as they are.
    "$crsim" run "$root/tests/scenarios/formula-names.yaml" --out res >/dev/null 2>err.txt || fail "status $?: $(cat err.txt)"
    grep -qxF "formula-names,class,'=cmd|' /C calc'!A0,offered,,436,12.706204736174694" res/summary.csv ||
        fail "=cmd not neutralised: $(head -3 res/summary.csv)"
    grep -qF "formula-names,class,'@SUM(1+1),offered," res/summary.csv || fail "@SUM not neutralised"
    grep -qF "formula-names,group,'+handlers," res/summary.csv || fail "+handlers not neutralised"
    grep -qF "formula-names,class,-12,offered," res/summary.csv || fail "the number -12 changed"
    # No cell of any file starts a formula (a - only before a number).
    grep -hE '(^|,)([=@+]|-[^0-9])' res/*.csv && fail "a formula left in a CSV file"
    # The same rule in `crsim export`'s files.
    "$crsim" sweep "$root/tests/sweeps/formula-names.yaml" --out f.sqlite 2>err.txt || fail "sweep: $(cat err.txt)"
    "$crsim" export f.sqlite --csv csv 2>err.txt || fail "export: $(cat err.txt)"
    grep -qF "1,'=cmd|' /C calc'!A0,1,service_level,20,0.8," csv/targets.csv || fail "targets.csv: $(cat csv/targets.csv)"
    grep -qF "1,1,class,-12,offered,," csv/replications.csv || fail "the number -12 changed in replications.csv"
    grep -hE '(^|,)([=@+]|-[^0-9])' csv/*.csv && fail "a formula left in an exported CSV file"
    ;;
compare-long-class)
    # The targets table of compare keeps a long class name apart from its metric.
    cp "$root/tests/scenarios/formula-names.yaml" a.yaml && cp a.yaml b.yaml
    "$crsim" compare a.yaml b.yaml -n 2 >out.txt 2>err.txt || fail "status $?: $(cat err.txt)"
    grep -qF "  formula-names-2  =cmd|' /C calc'!A0  service_level 20s >= 0.8" out.txt || fail "targets: $(grep -A3 '^Targets' out.txt)"
    ;;
sigkill)
    # SIGKILL at many moments of a run over an earlier set: DIR holds the whole old set or the
    # whole new one, never a mix, and nothing else.
    scenario="$root/tests/scenarios/merge-child.yaml"
    rm -rf old new res
    "$crsim" run "$scenario" -n 2 -s 1 --out old >/dev/null 2>&1 || fail "reference run (old)"
    # The moments of the kills spread over 1.5 times a whole run, however fast this build is. On a
    # loaded machine a run can take longer than the timed one: kills then go on, each moment
    # later than the last, until one has also let a run finish (at most 3 times the plan).
    started=$(date +%s%N)
    "$crsim" run "$scenario" -n 2 -s 2 --out new >/dev/null 2>&1 || fail "reference run (new)"
    run_us=$((($(date +%s%N) - started) / 1000))
    kills=12
    cp -a old res
    olds=0 news=0 i=0
    while [ $i -lt $kills ] || { [ $news -eq 0 ] && [ $i -lt $((kills * 3)) ]; }; do
        "$crsim" run "$scenario" -n 2 -s 2 --out res >/dev/null 2>&1 &
        pid=$!
        at_us=$((run_us * 3 / 2 * i / (kills - 1)))
        at=$(printf '%d.%06d' $((at_us / 1000000)) $((at_us % 1000000)))
        sleep "$at"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        which=""
        for ref in old new; do
            same=yes
            for f in summary.json summary.csv targets.csv replications.csv periods.csv; do cmp -s "res/$f" "$ref/$f" || same=no; done
            [ $same = yes ] && which=$ref
        done
        [ -n "$which" ] || fail "after a kill at $at s res is neither the old nor the new set: $(ls -A res)"
        [ "$(ls -A res | sort | tr '\n' ' ')" = ".crsim-result-set periods.csv replications.csv summary.csv summary.json targets.csv " ] ||
            fail "res holds: $(ls -A res | tr '\n' ' ')"
        if [ $which = old ]; then olds=$((olds + 1)); else news=$((news + 1)); rm -rf res && cp -a old res; fi
        i=$((i + 1))
    done
    [ $olds -gt 0 ] && [ $news -gt 0 ] || fail "kills gave $olds old and $news new sets: the moments do not span the run"
    # A later run removes what killed runs left beside res.
    "$crsim" run "$scenario" -n 2 -s 2 --out res >/dev/null 2>&1 || fail "final run"
    ls -A | grep -q crsim-staging && fail "staging directories left: $(ls -A)"
    echo "kills: $olds left the old set, $news the new one"
    ;;
erlang-format)
    # -f like the other commands, 80% for the target, and run's names and units (asa_s, abandoned_pct).
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --patience 5min --target 80% --threshold 20s -f json >pct.json 2>err.txt || fail "status $?"
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --patience 5min --target 0.8 --threshold 20s --format json >share.json 2>err.txt || fail "status $?"
    cmp -s pct.json share.json || fail "80% and 0.8 differ"
    tr -d ' ' <pct.json | grep -q '"agents":15,.*"asa_s":9.6[0-9]*,"mean_queue_s":10.8[0-9]*,"abandoned_pct":3.62[0-9]*,' || fail "json: $(cat pct.json)"
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --agents 14 --threshold 20s --target 80% >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st for both --agents and --target"
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --target 180% --threshold 20s >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st for a target of 180%"
    # Without --threshold: the figures that need none, the same numbers as with one; no service level.
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --patience 5min --agents 15 -f json >no-threshold.json 2>err.txt ||
        fail "no threshold: status $?: $(cat err.txt)"
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --patience 5min --agents 15 --threshold 20s -f json |
        sed -e 's/"threshold_s":20.0,//' -e 's/"service_level":[^,]*,//' >with-threshold.json
    cmp -s no-threshold.json with-threshold.json || fail "no threshold: $(cat no-threshold.json) vs $(cat with-threshold.json)"
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --agents 15 >table.txt 2>err.txt || fail "table: status $?"
    grep -q "^  asa_s " table.txt && ! grep -q service_level table.txt || fail "table: $(cat table.txt)"
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --target 80% >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st for --target without --threshold"
    grep -qx "crsim erlang: error: --target needs --threshold: the answer time its service level counts (e.g. 20s)" err.txt ||
        fail "--target without --threshold: $(cat err.txt)"
    ;;
compare-same)
    # The same file twice: every difference exactly 0, the repeat named -2, and no verdict but "no difference shown".
    "$crsim" compare "$root/scenarios/two-rooms.yaml" "$root/scenarios/two-rooms.yaml" -n 3 -f csv >cmp.csv 2>err.txt || fail "status $?"
    [ "$(head -n 1 cmp.csv)" = "option,kind,name,metric,threshold_s,mean,ci95,diff_mean,paired_ci95,unpaired_ci95,verdict" ] || fail "header"
    [ "$(grep -c '^two-rooms-2,' cmp.csv)" -eq 5 ] || fail "not 5 rows of two-rooms-2: $(cat cmp.csv)"
    grep '^two-rooms-2,' cmp.csv | grep -v ',0,0,[^,]*,no difference shown$' && fail "a difference is not exactly 0"
    grep -q '^two-rooms-2,total,all,rostered_cost,,' cmp.csv || fail "no total rostered cost row"
    ;;
compare-out)
    # --out: compare.json is what --format json prints; each option has its own result files.
    "$crsim" compare "$root/scenarios/two-rooms.yaml" "$root/scenarios/one-room.yaml" -n 3 --window 3-5 -q --out res \
        --format json >stdout.json 2>err.txt || fail "status $?"
    [ ! -s err.txt ] || fail "--quiet printed: $(cat err.txt)"
    cmp -s stdout.json res/compare.json || fail "stdout differs from compare.json"
    tr -d ' \n' <res/compare.json | grep -q '"window":{"from_week":3,"to_week":5}' || fail "no window in compare.json"
    grep -q '"baseline": "two-rooms"' res/compare.json || fail "no baseline"
    for f in two-rooms/summary.json one-room/summary.json one-room/targets.csv compare.csv; do [ -s "res/$f" ] || fail "res/$f missing"; done
    tr -d ' \n' <res/one-room/summary.json | grep -q '"window":{"from_week":3,"to_week":5}' ||
        fail "no window in an option's summary.json"
    # Same seed, same numbers: a second run gives identical files.
    "$crsim" compare "$root/scenarios/two-rooms.yaml" "$root/scenarios/one-room.yaml" -n 3 --window 3-5 -q --out again \
        -t 1 >/dev/null 2>&1 || fail "status $?"
    for f in compare.json compare.csv two-rooms/replications.csv one-room/targets.csv; do cmp -s "res/$f" "again/$f" || fail "$f differs"; done
    ;;
window)
    # A window outside [warm-up, horizon) is a usage error; a good one is recorded in summary.json.
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 1 --window 1 >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2 for a window in the warm-up"
    grep -q "crsim run: error: --window: the window week 1 lies inside the warm-up (1 week), which is never measured" err.txt ||
        fail "stderr: $(cat err.txt)"
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 1 --window 2-6 >out.txt 2>err.txt
    st=$?; [ $st -eq 2 ] || fail "status $st instead of 2 for a window past the horizon"
    [ ! -s out.txt ] || fail "stdout not empty"
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 --window 9d-15d -q -f json >out.json 2>err.txt || fail "status $?"
    tr -d ' \n' <out.json | grep -q '"window":{"from_day":9,"to_day":15}' || fail "no window in summary.json"
    ;;
precision)
    # --precision 0.005: replications are added until every service-level half-width is <= 0.005.
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 4 --precision 0.005 --out res -f json >out.json 2>err.txt || fail "status $?"
    grep -q "crsim: precision reached after [0-9]* replications; the last figure to get there: " err.txt || fail "stderr: $(cat err.txt)"
    n=$(sed -n 's/.*precision reached after \([0-9]*\) replications.*/\1/p' err.txt)
    grep -q "\"replications\": $n," out.json || fail "summary.json does not have the $n replications"
    awk -F, 'NR > 1 && $3 == "service_level" && $7 > 0.005 { bad = 1 } END { exit bad }' res/targets.csv ||
        fail "a service-level half-width above 0.005: $(cat res/targets.csv)"
    # Reproduced by the seed and the final count.
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n "$n" -f json >again.json 2>/dev/null || fail "status $?"
    cmp -s out.json again.json || fail "-n $n does not reproduce the --precision run"
    # The cap: a warning, and the run stops there.
    "$crsim" run "$root/scenarios/two-rooms.yaml" -n 2 --precision 0.0001 --max-replications 3 -f json >cap.json 2>err.txt || fail "status $?"
    grep -q "warning: --max-replications 3 reached before the precision: " err.txt || fail "stderr: $(cat err.txt)"
    grep -q '"replications": 3,' cap.json || fail "not 3 replications"
    ;;
wait-quantile)
    # {metric: wait_quantile, q: 0.9, max: 30s} as a target in run, compare (with --precision), sweep
    # and the report: its figure is wait_p90_s's, judged like any target.
    wq=$root/tests/scenarios/wait-quantile.yaml
    "$crsim" run "$wq" -n 3 --out res --report run.html >/dev/null 2>err.txt || fail "run: status $?: $(cat err.txt)"
    p90=$(grep '^wait-quantile,class,calls,wait_p90_s,,' res/summary.csv | cut -d, -f6-)
    [ -n "$p90" ] && grep -qx "wait-quantile,calls,wait_quantile,,30,$p90,false,0,false" res/targets.csv ||
        fail "targets.csv, not wait_p90_s $p90: $(cat res/targets.csv)"
    grep -q '"metric": "wait_quantile",' res/summary.json && grep -q '"q": 0.9,' res/summary.json || fail "summary.json targets"
    grep -q 'calls 90% of answered calls waited at most (s), at most 30' run.html || fail "the report does not name the target"
    # A fifth more people on days: compared, better, to a precision in seconds.
    printf 'extends: "%s"\nname: more\nstaffing: ~\nroster:\n' "$(realpath --relative-to=. "$wq")" >more.yaml
    printf '  - {room: room, group: handlers, shift: %s, headcount: %s}\n' day 5 night 2 >>more.yaml
    "$crsim" compare "$wq" more.yaml -n 4 --precision 20s --max-replications 8 --out cmp >cmp.txt 2>err.txt ||
        fail "compare: status $?: $(cat err.txt)"
    grep -Eq '^more,class,calls,wait_quantile,,[0-9.]+,[0-9.]+,-[0-9.]+,[0-9.]+,[0-9.]+,better$' cmp/compare.csv ||
        fail "compare.csv: $(cat cmp/compare.csv)"
    grep -q 'calls wait_quantile 0.9 ±' err.txt || fail "--precision does not follow the target: $(cat err.txt)"
    # A sweep judges it from its own replication rows, as run does.
    printf 'base: %s\nreplications: 3\nseed: 5\nparameters:\n  warmup: [1d]\n' "$wq" >sweep.yaml
    "$crsim" sweep sweep.yaml --out s.sqlite --threads 1 >/dev/null 2>err.txt || fail "sweep: $(cat err.txt)"
    "$crsim" export s.sqlite --csv exp >/dev/null 2>&1 || fail "export"
    "$crsim" run "$wq" -n 3 -s 5 --format csv >run5.csv 2>/dev/null || fail "run seed 5"
    p90=$(grep '^wait-quantile,class,calls,wait_p90_s,,' run5.csv | cut -d, -f6-)
    grep -q "^1,calls,2,wait_quantile,0.9,30,$p90," exp/targets.csv || fail "sweep targets, not $p90: $(cat exp/targets.csv)"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
echo "ok: $case"
