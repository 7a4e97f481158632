#!/bin/bash
# Do crsim's 95% confidence intervals cover what they claim on a time-varying scenario?
# One run of REFERENCE + EXPERIMENTS x PER replications: the first REFERENCE replications give each
# figure's reference mean (its own error is about a twentieth of one experiment's half-width), the
# rest form EXPERIMENTS experiments of PER replications, each a Student-t 95% interval (the one every
# command reports, estimate() in sim/). The share of intervals that hold the reference should be 95%;
# with 200 experiments its binomial SE is 1.5 pp, so 95 +- 3% is two SE.
#   tools/ci-coverage.sh [BUILD_DIR]          # about 7 CPU-minutes on two-rooms.yaml
# Env: SCENARIO (scenarios/two-rooms.yaml: a weekly profile, rosters, two rooms), HORIZON (2w, with
# its 1-week warm-up), REFERENCE (4000), EXPERIMENTS (200), PER (10), THREADS (0: all cores), SEED (7).
# Prints each class's figure and the pooled coverage; exit 1 when a pooled figure is outside 95 +- 3%.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
scenario=${SCENARIO:-$here/scenarios/two-rooms.yaml}
horizon=${HORIZON:-2w}
reference=${REFERENCE:-4000}
experiments=${EXPERIMENTS:-200}
per=${PER:-10}
threads=${THREADS:-0}
seed=${SEED:-7}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
total=$((reference + experiments * per))
"$build/bin/crsim" run "$scenario" --set "horizon=$horizon" -n "$total" --seed "$seed" -t "$threads" \
    --out "$out" --quiet --allow-large > /dev/null
python3 - "$out/replications.csv" "$reference" "$experiments" "$per" <<'PY'
import csv, math, sys
from collections import defaultdict
path, reference, experiments, per = sys.argv[1], *map(int, sys.argv[2:])
# Student-t 0.975 quantiles for the degrees of freedom an experiment may have.
t975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        14: 2.145, 19: 2.093, 29: 2.045, 39: 2.023, 49: 2.010}
if per - 1 not in t975:
    sys.exit(f"PER={per}: no t quantile for {per - 1} degrees of freedom here")
values = defaultdict(dict)
with open(path, newline="") as f:
    for row in csv.DictReader(f):
        if row["kind"] != "class" or row["value"] in ("", "nan", "null"):
            continue
        metric = row["metric"] + (f"@{row['threshold_s']}" if row["threshold_s"] else "")
        if metric not in ("abandoned_pct", "asa_s", "mean_wait_s") and not metric.startswith("service_level"):
            continue
        values[(row["name"], metric)][int(row["replication"])] = float(row["value"])
pooled_in = pooled_n = 0
bad = []
print(f"{'class':<10} {'metric':<22} {'reference':>12} {'covered':>8}")
for (name, metric), by_rep in sorted(values.items()):
    ref = [by_rep[r] for r in range(1, reference + 1) if r in by_rep]
    truth = sum(ref) / len(ref)
    inside = n = 0
    for e in range(experiments):
        xs = [by_rep[r] for r in range(reference + e * per + 1, reference + (e + 1) * per + 1) if r in by_rep]
        if len(xs) < per:
            continue
        m = sum(xs) / per
        s = math.sqrt(sum((x - m) ** 2 for x in xs) / (per - 1))
        half = t975[per - 1] * s / math.sqrt(per)
        inside += abs(m - truth) <= half
        n += 1
    if n == 0:
        continue
    share = inside / n
    pooled_in += inside
    pooled_n += n
    print(f"{name:<10} {metric:<22} {truth:>12.4f} {100 * share:>7.1f}%")
    if abs(share - 0.95) > 0.03:
        bad.append(f"{name} {metric}")
pooled = pooled_in / pooled_n
print(f"pooled: {pooled_in} of {pooled_n} intervals hold the reference: {100 * pooled:.1f}%")
if bad:
    print("outside 95 +- 3%: " + ", ".join(bad))
sys.exit(0 if abs(pooled - 0.95) <= 0.03 else 1)
PY
