#!/usr/bin/env bash
# Installs what is missing, checks the formatting, then builds and runs the test suite: a Release build (build/), an
# AddressSanitizer + UndefinedBehaviorSanitizer build (build-sanitize/), a ThreadSanitizer build of
# the tests that run threads (build-tsan/, only the targets in tsan_targets), and 60 s of the
# fuzz targets (build-fuzz/, clang). About 25 minutes on 2 cores from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
# Unformatted code fails the suite before anything is built (.clang-format; clang-format -i FILE fixes it).
tools/check-format.sh
jobs=$(nproc)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "${launcher[@]}"
cmake --build build -j"$jobs"
ctest --test-dir build --no-tests=error --output-on-failure -j"$jobs"

cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRSIM_SANITIZE=ON "${launcher[@]}"
cmake --build build-sanitize -j"$jobs"
ctest --test-dir build-sanitize --no-tests=error --output-on-failure -j"$jobs"

# ThreadSanitizer: only the programs whose code runs on several threads, so that a third build
# stays small: the replication runner's tests (test_sim), the staffing search's (test_staffing),
# and crsim itself for a threaded sweep (workers and the committing thread) and `crsim staff`.
# MPI runs are left out: Open MPI is not built with ThreadSanitizer.
tsan_targets=(test_sim test_staffing crsim)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCRSIM_TSAN=ON "${launcher[@]}"
cmake --build build-tsan -j"$jobs" --target "${tsan_targets[@]}"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
for target in test_sim test_staffing; do
  build-tsan/bin/"$target"
done
tsan_work=$(mktemp -d)
build-tsan/bin/crsim sweep tests/sweeps/small.yaml --out "$tsan_work/sweep.sqlite" --threads 2
build-tsan/bin/crsim staff tests/scenarios/staff-stationary.yaml --threads 2 --out "$tsan_work/staff" >/dev/null
rm -rf "$tsan_work"

# 60 s of fuzzing, shared by the fuzz targets; tools/fuzz/run-fuzz.sh says how to run them longer.
tools/fuzz/run-fuzz.sh 60
