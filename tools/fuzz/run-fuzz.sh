#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang (ASan + UBSan) in build-fuzz/, or in the build
# --build names, and runs them side by side for SECONDS (default 60), each seeded from its own files
# (the list below): on 2 cores the 3 targets get 2/3 of SECONDS of CPU each.
# They run in scenarios/ so that `extends` can reach the shipped files. Findings go to
# BUILD/findings/ (named after the target) and make the script fail; the corpus each grows is
# kept in BUILD/corpus-TARGET/ for the next run; each target's output, printed when all have ended,
# in BUILD/fuzz-TARGET.log.
# Usage: tools/fuzz/run-fuzz.sh [--build DIR] [SECONDS]
#   --build DIR: a build configured with -DCRSIM_FUZZ=ON already (tools/run-tests.sh passes its
#                ASan+UBSan build) instead of configuring build-fuzz/
#   A long run, niced:  nice tools/fuzz/run-fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/../.."
build="build-fuzz"
configure=yes
if [ "${1:-}" = --build ]; then
    build=${2:?"usage: tools/fuzz/run-fuzz.sh [--build DIR] [SECONDS]"}
    configure=no
    shift 2
fi
seconds=${1:-60}
# One line per target: its name (tools/CMakeLists.txt) and the files that seed it. Adding a target
# is adding a line.
targets=(
    "fuzz_scenario scenarios/*.yaml tests/scenarios/*.yaml tests/bad_inputs/*.yaml"
    "fuzz_call_log tests/bad_inputs/*.csv scenarios/data/*.csv"
    "fuzz_sweep scenarios/sweeps/*.yaml tests/sweeps/*.yaml"
)
if [ "$configure" = yes ]; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    # Line tables only (-g1), as in tools/run-tests.sh's sanitizer builds: enough for a finding's stack.
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
        -DCMAKE_CXX_COMPILER=clang++-14 -DCRSIM_FUZZ=ON \
        "${launcher[@]}" >/dev/null
elif ! grep -qx 'CRSIM_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "run-fuzz.sh: $build is not a build configured with -DCRSIM_FUZZ=ON" >&2
    exit 2
fi
build=$(cd "$build" && pwd)
names=()
for line in "${targets[@]}"; do names+=("${line%% *}"); done
cmake --build "$build" --target "${names[@]}" -j"$(nproc)"
mkdir -p "$build/findings"
pids=()
trap '[ "${#pids[@]}" -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true' EXIT
for line in "${targets[@]}"; do
    read -r name seeds <<<"$line"
    mkdir -p "$build/corpus-$name"
    rm -rf "$build/seeds-$name" && mkdir -p "$build/seeds-$name"
    # shellcheck disable=SC2086 # the seed globs are meant to expand; a glob matching nothing is skipped
    for seed in $seeds; do [ -f "$seed" ] && cp "$seed" "$build/seeds-$name/"; done
    # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that grows past 2 GB a leak.
    (cd scenarios && exec "$build/bin/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/findings/$name-" \
        "$build/corpus-$name" "$build/seeds-$name") >"$build/fuzz-$name.log" 2>&1 &
    pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
    name=${targets[i]%% *}
    wait "${pids[i]}" || status=$?
    echo "== $name: $seconds s beside the others"
    cat "$build/fuzz-$name.log"
done
pids=()
exit "$status"
