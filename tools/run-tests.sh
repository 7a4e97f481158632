#!/usr/bin/env bash
# The test suite: CI's and the README's test command. Installs what is missing, checks the
# formatting, then builds and tests in every configuration and prints each stage's time at the end:
#   - Release (build/): every test;
#   - AddressSanitizer + UndefinedBehaviorSanitizer (build-sanitize/): every test again, and the
#     libFuzzer targets, built there too;
#   - ThreadSanitizer (build-tsan/): only the programs that run threads (tsan_targets below);
#   - libFuzzer: the fuzz targets of build-sanitize/ side by side for 30 s (tools/fuzz/run-fuzz.sh).
# Usage: tools/run-tests.sh           the whole suite (CI; see the README for its time)
#        tools/run-tests.sh --quick   Release only: the build and every test, for day-to-day work
set -euo pipefail
cd "$(dirname "$0")/.."

quick=no
case "${1:-}" in
  "") ;;
  --quick) quick=yes ;;
  *)
    echo "usage: tools/run-tests.sh [--quick]" >&2
    exit 2
    ;;
esac

# Each stage's time, printed when the script ends, whether it passed or stopped at a failure.
stage_times=()
current_stage=""
stage_started=0
suite_started=$SECONDS
begin_stage() {
  end_stage
  current_stage=$1
  stage_started=$SECONDS
  echo "== run-tests: $current_stage" >&2
}
end_stage() {
  [ -n "$current_stage" ] || return 0
  stage_times+=("$(printf '%-38s %5d s' "$current_stage" $((SECONDS - stage_started)))")
  current_stage=""
}
# The next configuration builds beside the tests of the one before (start_beside, finish_beside):
# the tests leave CPU idle while they wait on a killed process, Chromium or MPI ranks, and the
# niced build takes only what they leave, so the tests run as fast as alone. Its output goes to a
# log, printed whole when it ends; its time is from its start to its end.
beside_pid=""
beside_stage=""
beside_log=""
beside_started=0
start_beside() {  # start_beside STAGE COMMAND...
  beside_stage=$1
  shift
  beside_log=$(mktemp)
  beside_started=$(date +%s)
  echo "== run-tests: $beside_stage (beside the next stage, output when it ends)" >&2
  setsid nice -n 10 "$@" >"$beside_log" 2>&1 &
  beside_pid=$!
}
finish_beside() {  # waits for it (a stage of its own: what it took after the stage beside it)
  local status=0
  begin_stage "$beside_stage, waiting for it"
  wait "$beside_pid" || status=$?
  beside_pid=""
  echo "== run-tests: $beside_stage, its output" >&2
  cat "$beside_log" >&2
  # The log's last write is when the build ended.
  stage_times+=("$(printf '%-38s %5d s, beside the stage before' "$beside_stage" \
    $(($(stat -c %Y "$beside_log") - beside_started)))")
  rm -f "$beside_log"
  return "$status"
}
print_stage_times() {
  local status=$?
  local failed=$current_stage
  [ -z "$beside_pid" ] || kill -- "-$beside_pid" 2>/dev/null || true
  end_stage
  echo "== run-tests: stage times" >&2
  printf '  %s\n' "${stage_times[@]}" >&2
  printf '  %-38s %5d s\n' "total" $((SECONDS - suite_started)) >&2
  [ "$status" -eq 0 ] || echo "== run-tests: FAILED in stage '$failed' (status $status)" >&2
}
trap print_stage_times EXIT

begin_stage "install missing packages"
tools/install-deps.sh
# Unformatted code fails the suite before anything is built (.clang-format; clang-format -i FILE fixes it).
begin_stage "formatting"
tools/check-format.sh

jobs=$(nproc)
# Ninja, not make: make builds a target only once the libraries it links are built, so at the end
# of each library one core waits for its last file; Ninja compiles any target's files as soon as a
# core is free and waits only to link. A build directory made with another generator is made anew
# (cmake refuses to switch), e.g. build/ after tools/run-headline.sh.
configure() {  # configure DIR CMAKE_ARGS...
  local dir=$1
  shift
  if [ -f "$dir/CMakeCache.txt" ] && ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "$dir/CMakeCache.txt"; then
    echo "== run-tests: $dir was made with another generator than Ninja: made anew" >&2
    rm -rf "$dir"
  fi
  cmake -S . -B "$dir" -G Ninja "$@"
}
# LLVM's linker (lld) for every program: the suite links about 25 per build, each with every library
# it uses. Linking the sanitized bin/test_report: 1.8 s of CPU with GNU ld, 0.5 s with lld.
common_flags=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld)
command -v ccache >/dev/null && common_flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Tests that wait (for a process to be killed, for Chromium, for MPI ranks) leave a core idle:
# one more test at a time than cores keeps both busy.
test_jobs=$((jobs + 1))

begin_stage "Release build"
configure build -DCMAKE_BUILD_TYPE=Release "${common_flags[@]}"
cmake --build build -j"$jobs"
# The sanitizer builds use clang, which compiles a sanitized build about twice as fast as g++ here
# (the Release build stays g++, so both compilers see the code), and keep line tables (-g1), enough
# for a report's stack, not full debug information, which costs a quarter more compile time.
# Cold code (the tests' own, the command line, loaders and writers: crsim_cold_code in
# CMakeLists.txt) is compiled at -O0 there: clang at -O1 costs nearly what it does at -O2, at -O0
# half or less, and a sanitized validation case ran as fast (test_model_vs_theory, 12-14 s of CPU
# either way). The benchmarks are left out: no test runs them, and a sanitized benchmark measures
# nothing.
sanitizer_flags=(-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" -DCRSIM_COLD_CODE_OPTIMIZATION=-O0
  -DCRSIM_BENCHMARKS=OFF)

# The fuzz targets are built here (CRSIM_FUZZ): libFuzzer's coverage instrumentation on every object
# costs the tests little, and a separate fuzz build would compile the loaders a third time.
if [ "$quick" = no ]; then
  configure build-sanitize "${sanitizer_flags[@]}" -DCRSIM_SANITIZE=ON -DCRSIM_FUZZ=ON "${common_flags[@]}" >/dev/null
  start_beside "ASan+UBSan build" cmake --build build-sanitize -j"$jobs"
fi
begin_stage "Release tests"
ctest --test-dir build --no-tests=error --output-on-failure -j"$test_jobs"
[ "$quick" = no ] || exit 0
finish_beside

# ThreadSanitizer: only the test programs whose code runs on several threads, so that a third build
# stays small: the replication runner's tests (test_sim), the staffing search's, which runs its
# replications on every core (test_staffing), and the use cases' (test_study: the threaded sweep
# runner's workers and committing thread, runs on 2 threads). The command line adds no thread of its
# own, so crsim itself is not built here. MPI runs are left out: Open MPI is not built with
# ThreadSanitizer.
tsan_targets=(test_sim test_staffing test_study)
configure build-tsan "${sanitizer_flags[@]}" -DCRSIM_TSAN=ON "${common_flags[@]}" >/dev/null
start_beside "ThreadSanitizer build" cmake --build build-tsan -j"$jobs" --target "${tsan_targets[@]}"
begin_stage "ASan+UBSan tests"
ctest --test-dir build-sanitize --no-tests=error --output-on-failure -j"$test_jobs"
finish_beside

begin_stage "ThreadSanitizer runs"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
for target in "${tsan_targets[@]}"; do
  build-tsan/bin/"$target"
done

# The three fuzz targets side by side for 30 s: 20 s of CPU each on 2 cores, as when they ran in
# turn for 20 s each; tools/fuzz/run-fuzz.sh says how to run them longer.
begin_stage "fuzzing (30 s)"
tools/fuzz/run-fuzz.sh --build build-sanitize 30
