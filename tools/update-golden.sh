#!/bin/sh
# Regenerates tests/golden/NAME.csv for every shipped scenario (seed 1, 2 replications), as the
# "golden" case of tests/test_cli.sh runs them. Only after an intended change of results.
# Usage: tools/update-golden.sh [CRSIM]   (default build/bin/crsim; run from the repository root)
set -eu
crsim=${1:-build/bin/crsim}
mkdir -p tests/golden
for f in scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    "$crsim" run "$f" -n 2 --seed 1 --threads 1 --format csv >"tests/golden/$name.csv" 2>/dev/null
    echo "tests/golden/$name.csv"
done
