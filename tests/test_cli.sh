#!/bin/sh
# The crsim command line end to end: exit statuses, what goes to stdout and what to stderr, and
# the output files. Usage: test_cli.sh CRSIM WORKDIR CASE (run from the repository root).
set -u
crsim=$1 work=$2 case=$3
mkdir -p "$work" && cd "$work" || exit 1
root=$OLDPWD
fail() { echo "FAIL: $*"; exit 1; }

case $case in
bad-scenario)
    # A bad scenario: status 2, the file:line:col message on stderr, nothing on stdout.
    "$crsim" run "$root/tests/scenarios/bad-base.yaml" >out.txt 2>err.txt
    [ $? -eq 2 ] || fail "status $? instead of 2"
    grep -qx "$root/tests/scenarios/bad-base.yaml:3:10: error: horizon: expected a duration with a unit (s, min, h, d, w), e.g. 30s" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty: $(cat out.txt)"
    ;;
bad-option)
    "$crsim" run "$root/scenarios/two-rooms.yaml" --replications 0 >out.txt 2>err.txt
    [ $? -eq 2 ] || fail "status $? instead of 2"
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
    ls res | grep -v -x -e summary.json -e summary.csv -e replications.csv -e periods.csv && fail "stray files in res"
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
    "$crsim" run "$root/scenarios/two-rooms.yaml" --set 'roster[shift=nigth].headcount+=3' >out.txt 2>err.txt
    [ $? -eq 2 ] || fail "status $? instead of 2 for a bad path"
    grep -qxF -e "--set 'roster[shift=nigth].headcount+=3': error: roster[shift=nigth]: no roster line has shift 'nigth'; did you mean 'night'? (lines have shift early, day, late, evening or night)" err.txt ||
        fail "stderr: $(cat err.txt)"
    [ ! -s out.txt ] || fail "stdout not empty"
    ;;
threads)
    # Same seed, any number of threads: the same figures, to the last digit.
    "$crsim" run "$root/scenarios/one-room.yaml" -n 4 -t 1 --format json >one.json 2>/dev/null || fail "status $?"
    "$crsim" run "$root/scenarios/one-room.yaml" -n 4 -t 2 --format json >two.json 2>/dev/null || fail "status $?"
    cmp -s one.json two.json || fail "results differ between 1 and 2 threads"
    ;;
erlang-unstable)
    "$crsim" erlang --arrivals-per-hour 120 --handle-time 6min --agents 12 --threshold 20s >out.txt 2>err.txt
    [ $? -eq 2 ] || fail "status $? instead of 2"
    grep -q "unstable" err.txt || fail "stderr: $(cat err.txt)"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
echo "ok: $case"
