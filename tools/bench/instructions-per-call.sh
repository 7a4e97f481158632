#!/bin/sh
# Instructions per simulated call of the control-room model: the machine-independent measure of
# its speed (wall-clock figures on a shared VM swing by a third; instruction counts do not).
#
# Runs bench_model under callgrind twice, for SHORT and LONG days (default 10 and 40) of the
# reference scenario, and prints the marginal cost
#   instructions_per_call=(instructions(LONG) - instructions(SHORT)) / (calls(LONG) - calls(SHORT))
# The difference cancels what does not grow with the horizon (start-up, loading the scenario,
# building the result), so the figure is what one more call costs. Needs valgrind; takes about a
# minute. The counts are those of the build given, so use a Release build.
#
# Usage (from the repository root):
#   tools/bench/instructions-per-call.sh [BENCH_MODEL] [BENCH_MODEL OPTIONS...]
#   e.g. tools/bench/instructions-per-call.sh build/bin/bench_model --scenario scenarios/one-room.yaml
# Environment: SHORT and LONG (days), VERBOSE=1 to print each run's counts too.
set -eu
bench=${1:-build/bin/bench_model}
[ $# -gt 0 ] && shift
short=${SHORT:-10}
long=${LONG:-40}
command -v valgrind >/dev/null || { echo "instructions-per-call.sh: valgrind is not on PATH" >&2; exit 2; }
[ -x "$bench" ] || { echo "instructions-per-call.sh: $bench is not an executable (build first)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# count DAYS [OPTIONS...]: prints "calls instructions" of one run of DAYS days.
count() {
    days=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$dir/out.$days" "$bench" "$@" --days "$days" \
        >"$dir/stdout.$days" 2>"$dir/stderr.$days" || {
        echo "instructions-per-call.sh: $bench --days $days failed under valgrind:" >&2
        tail -5 "$dir/stderr.$days" >&2
        exit 1
    }
    calls=$(sed -n 's/^calls=\([0-9]*\) .*/\1/p' "$dir/stdout.$days")
    instructions=$(sed -n 's/^summary: \([0-9]*\).*/\1/p' "$dir/out.$days")
    [ -n "$calls" ] && [ -n "$instructions" ] || {
        echo "instructions-per-call.sh: no counts from the $days-day run" >&2
        exit 1
    }
    echo "$calls $instructions"
}
count "$short" "$@" >"$dir/short"
count "$long" "$@" >"$dir/long"
read -r calls_short instructions_short <"$dir/short"
read -r calls_long instructions_long <"$dir/long"
if [ "${VERBOSE:-0}" = 1 ]; then
    echo "days=$short calls=$calls_short instructions=$instructions_short"
    echo "days=$long calls=$calls_long instructions=$instructions_long"
fi
awk -v c1="$calls_short" -v i1="$instructions_short" -v c2="$calls_long" -v i2="$instructions_long" 'BEGIN {
    if (c2 <= c1) { print "instructions-per-call.sh: the longer run made no more calls" > "/dev/stderr"; exit 1 }
    printf "instructions_per_call=%.0f\n", (i2 - i1) / (c2 - c1)
}'
