#!/bin/bash
# The long statistical experiments of `crsim scrutiny` and `crsim calibrate` (README, "Weekly
# scrutiny"): too long for CI, run by hand. Each part prints its measured figures.
#   tools/scrutiny/experiments.sh [flags|cut|calibrate|all] [CALIBRATIONS] [FIRST]
# (FIRST: the calibrations are seeds 1000 + FIRST onwards, default 1, so that chunks can run at once)
# Needs a Release build in build/ (crsim, or $CRSIM) and jq. The calibrations share their simulated points
# (calibrate --cache) in $CALIBRATION_CACHE, by default a temporary directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
crsim=${CRSIM:-$root/build/bin/crsim}
scenario=$root/scenarios/two-rooms.yaml
part=${1:-all}
calibrations=${2:-20}
first=${3:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=(--start-date 2014-01-06)

# 1. Weeks of the scenario itself: 200 whole weeks (1 week of warm-up), seed 101 (not the
#    scenario's 2014, which scrutiny uses for its bands).
flags() {
    "$crsim" run "$scenario" "${start[@]}" --set horizon=201w -n 1 -s 101 --weekly-kpis "$work/own.csv" --quiet >/dev/null
    "$crsim" scrutiny "$scenario" "$work/own.csv" "${start[@]}" --format json >"$work/own.json" 2>/dev/null
    jq -r '"weeks of the scenario itself: \(.flagged) of \(.weeks | length) weekly figures flagged (\(100 * .flagged / (.weeks | length) | . * 10 | round / 10)%)",
           "detector: stated \(.detector.false_alarms_per_year | . * 1000 | round / 1000) false alarms per series-year (95% CI \(.detector.false_alarms_per_year_ci95 | map(. * 1000 | round / 1000))); measured \(.detector.alarms | length) in \(.detector.series_years | . * 10 | round / 10) series-years = \((.detector.alarms | length) / .detector.series_years | . * 1000 | round / 1000)"' "$work/own.json"
}

# 2. A real staffing cut of 15% from week 10 (the reported weeks), judged against the scenario.
cut() {
    "$crsim" run "$scenario" "${start[@]}" --set horizon=27w \
        --set 'disruptions=[{groups: [call-handlers], weeks: {from: 10, to: 27}, headcount: 85%}]' \
        -n 1 -s 101 --weekly-kpis "$work/cut.csv" --quiet >/dev/null
    "$crsim" scrutiny "$scenario" "$work/cut.csv" "${start[@]}" --before 2-9 --after 10-27 --format json \
        >"$work/cut.json" 2>/dev/null
    jq -r '"staffing cut of 15% from week 10: flagged \([.weeks[] | select(.verdict != "inside" and (.week_start >= "2014-03-10"))] | length) of \([.weeks[] | select(.week_start >= "2014-03-10")] | length) figures from week 10, \([.weeks[] | select(.verdict != "inside" and (.week_start < "2014-03-10"))] | length) of \([.weeks[] | select(.week_start < "2014-03-10")] | length) before",
           "before/after test (\(.test.class) \(.test.metric)): effect \(.test.effect | . * 10000 | round / 10000), 95% CI \(.test.ci95 | map(. * 10000 | round / 10000)), p = \(.test.p_value | . * 1000 | round / 1000)"' "$work/cut.json"
}

# 3. Calibrations: weeks simulated with two changed parameters (101 handle time 8 min instead of 7,
#    absence 20% instead of 15%), one seed each; how often do the 95% intervals cover the truth?
#    Every calibration simulates the scenario with its own seed (common random numbers), so a point
#    simulated for one is the same for the next: the cache saves the time, not the randomness.
calibrate() {
    local cache=${CALIBRATION_CACHE:-$work/cache}
    local covered=0 both=0
    for ((i = first; i < first + calibrations; i++)); do
        local seed=$((1000 + i))
        # The reported weeks of this seed, kept beside the cached points (the same for this build).
        local weeks=$cache/weeks-$seed.csv
        mkdir -p "$cache"
        [[ -s $weeks ]] || "$crsim" run "$scenario" "${start[@]}" --set horizon=27w \
            --set classes.101.handle_time.mean=8min --set groups.call-handlers.absence=20% -n 1 -s "$seed" \
            --weekly-kpis "$weeks" --quiet >/dev/null
        local t0=$SECONDS
        "$crsim" calibrate "$scenario" "$weeks" "${start[@]}" --vary classes.101.handle_time.mean=5min..10min \
            --vary groups.call-handlers.absence=5%..30% --cache "$cache" --out "$work/cal.yaml" --fit "$work/cal.json" \
            >/dev/null 2>&1
        local line
        line=$(jq -r --arg t "$((SECONDS - t0))" '.evaluations as $points | [.parameters[] | "\(.path) \(.estimate | . * 1000 | round / 1000) [\(.ci95[0] | . * 1000 | round / 1000), \(.ci95[1] | . * 1000 | round / 1000)]"] | join("; ") + " (\($points) points, \($t) s)"' "$work/cal.json")
        local in1 in2
        in1=$(jq '.parameters[0] | (.ci95[0] <= 8 and 8 <= .ci95[1])' "$work/cal.json")
        in2=$(jq '.parameters[1] | (.ci95[0] <= 20 and 20 <= .ci95[1])' "$work/cal.json")
        [[ $in1 == true ]] && covered=$((covered + 1))
        [[ $in2 == true ]] && covered=$((covered + 1))
        [[ $in1 == true && $in2 == true ]] && both=$((both + 1))
        echo "seed $seed: $line"
    done
    echo "calibration: both truths inside the 95% intervals in $both of $calibrations experiments ($covered of $((2 * calibrations)) intervals)"
}

case $part in
flags) flags ;;
cut) cut ;;
calibrate) calibrate ;;
all) flags && cut && calibrate ;;
*) echo "usage: $0 [flags|cut|calibrate|all] [CALIBRATIONS]" >&2 && exit 2 ;;
esac
