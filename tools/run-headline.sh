#!/usr/bin/env bash
# Installs what is missing, builds crsim (Release) and runs the headline comparison: the same
# calls and people answered from two control rooms, then from one, with common random numbers,
# each figure's paired difference and its verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
echo
build/bin/crsim compare scenarios/two-rooms.yaml scenarios/one-room.yaml
