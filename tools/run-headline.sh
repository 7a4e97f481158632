#!/usr/bin/env bash
# Installs what is missing, builds crsim (Release) and runs the headline comparison:
# the same calls and people answered from two control rooms, then from one.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
for scenario in two-rooms one-room; do
  echo
  echo "=================================== $scenario ==================================="
  build/bin/crsim run "scenarios/$scenario.yaml"
done
