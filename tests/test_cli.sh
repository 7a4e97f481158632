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
