#!/usr/bin/env bash
# Builds the libFuzzer targets of the scenario loader and of the sweep-file loader with Debian's
# clang (ASan + UBSan) in build-fuzz/ and runs each for SECONDS (default 60), seeded from the
# shipped scenarios and sweeps, the test scenarios and sweeps and the bad-input corpus. It runs in
# scenarios/ so that `extends` can reach the shipped files. Findings go to build-fuzz/findings/ and make the script fail; the corpus it grows is kept
# in build-fuzz/corpus/ for the next run. Usage: tools/fuzz/run-fuzz.sh [SECONDS] [JOBS]
#   A long run, niced:  nice tools/fuzz/run-fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:-60}
jobs=${2:-1}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 -DCRSIM_FUZZ=ON \
    "${launcher[@]}" >/dev/null
cmake --build build-fuzz --target fuzz_scenario fuzz_sweep -j"$(nproc)"
mkdir -p build-fuzz/corpus build-fuzz/seeds build-fuzz/findings build-fuzz/corpus-sweep build-fuzz/seeds-sweep
cp scenarios/*.yaml tests/scenarios/*.yaml tests/bad_inputs/*.yaml build-fuzz/seeds/
cp scenarios/sweeps/*.yaml tests/sweeps/*.yaml build-fuzz/seeds-sweep/
cd scenarios
# With several jobs libFuzzer writes each job's log to fuzz-N.log in the current directory: they
# are moved to build-fuzz/ afterwards, never left among the shipped scenarios.
parallel=()
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
status=0
# -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that grows past 2 GB a leak.
"$root/build-fuzz/bin/fuzz_scenario" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 "${parallel[@]}" -print_final_stats=1 \
    -artifact_prefix="$root/build-fuzz/findings/" "$root/build-fuzz/corpus" "$root/build-fuzz/seeds" || status=$?
# The sweep-file loader, as long again (its inputs live in scenarios/sweeps/ while it runs).
"$root/build-fuzz/bin/fuzz_sweep" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 "${parallel[@]}" -print_final_stats=1 \
    -artifact_prefix="$root/build-fuzz/findings/" "$root/build-fuzz/corpus-sweep" "$root/build-fuzz/seeds-sweep" || status=$?
for log in fuzz-*.log; do [ -e "$log" ] && mv "$log" "$root/build-fuzz/"; done
exit "$status"
