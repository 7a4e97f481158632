#!/usr/bin/env bash
# Installs the Debian 12 packages crsim needs, only those that are missing.
# Safe to run again: it exits at once when everything is present.
set -euo pipefail

# Build: compiler, CMake (with make, and Ninja and LLVM's linker lld for tools/run-tests.sh), and the libraries crsim
# links (Boost, Eigen, yaml-cpp, doctest, SQLite for sweep stores, COIN-OR CBC for the staffing
# search, nlohmann-json for JSON output).
# Run and test: Open MPI for cluster sweeps, Chart.js for the HTML reports (inlined from
# /usr/share/javascript/chart.js), Chromium and Python 3 to check reports (tools/check_report.py),
# clang with its runtime for the libFuzzer target, sqlite3 for inspecting stores, clang-format.
packages=(
  g++ cmake make ninja-build lld clang libclang-rt-14-dev clang-format
  libboost-graph-dev libboost-random-dev libboost-program-options-dev libboost-mpi-dev libboost-math-dev
  libeigen3-dev libyaml-cpp-dev doctest-dev libsqlite3-dev coinor-libcbc-dev nlohmann-json3-dev
  openmpi-bin libjs-chart.js chromium python3 sqlite3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >&2
