#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang (ASan + UBSan) in build-fuzz/ and runs each in
# turn, sharing SECONDS (default 60) among them, each seeded from its own files (the list below).
# They run in scenarios/ so that `extends` can reach the shipped files. Findings go to
# build-fuzz/findings/ (named after the target) and make the script fail; the corpus each grows is
# kept in build-fuzz/corpus-TARGET/ for the next run. Usage: tools/fuzz/run-fuzz.sh [SECONDS] [JOBS]
#   A long run, niced:  nice tools/fuzz/run-fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:-60}
jobs=${2:-1}
# One line per target: its name (tools/CMakeLists.txt) and the files that seed it. Adding a target
# is adding a line.
targets=(
    "fuzz_scenario scenarios/*.yaml tests/scenarios/*.yaml tests/bad_inputs/*.yaml"
    "fuzz_call_log tests/bad_inputs/*.csv scenarios/data/*.csv"
    "fuzz_sweep scenarios/sweeps/*.yaml tests/sweeps/*.yaml"
)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Line tables only (-g1), as in tools/run-tests.sh's sanitizer builds: enough for a finding's stack.
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
    -DCMAKE_CXX_COMPILER=clang++-14 -DCRSIM_FUZZ=ON \
    "${launcher[@]}" >/dev/null
names=()
for line in "${targets[@]}"; do names+=("${line%% *}"); done
cmake --build build-fuzz --target "${names[@]}" -j"$(nproc)"
each=$((seconds / ${#targets[@]}))
[ "$each" -ge 1 ] || each=1
parallel=()
[ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
status=0
mkdir -p build-fuzz/findings
for line in "${targets[@]}"; do
    read -r name seeds <<<"$line"
    mkdir -p "build-fuzz/corpus-$name"
    rm -rf "build-fuzz/seeds-$name" && mkdir -p "build-fuzz/seeds-$name"
    # shellcheck disable=SC2086 # the seed globs are meant to expand; a glob matching nothing is skipped
    for seed in $seeds; do [ -f "$seed" ] && cp "$seed" "build-fuzz/seeds-$name/"; done
    echo "== $name: $each s"
    # With several jobs libFuzzer writes each job's log to fuzz-N.log in the current directory: they
    # are moved to build-fuzz/ afterwards, never left among the shipped scenarios. -timeout: an input
    # that takes 10 s is a hang; -rss_limit_mb: one that grows past 2 GB a leak.
    (cd scenarios && "$root/build-fuzz/bin/$name" -max_total_time="$each" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 "${parallel[@]}" -print_final_stats=1 -artifact_prefix="$root/build-fuzz/findings/$name-" \
        "$root/build-fuzz/corpus-$name" "$root/build-fuzz/seeds-$name") || status=$?
    for log in scenarios/fuzz-*.log; do [ -e "$log" ] && mv "$log" "$root/build-fuzz/$name-${log#scenarios/}"; done
done
exit "$status"
