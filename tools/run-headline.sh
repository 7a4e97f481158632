#!/usr/bin/env bash
# Installs what is missing, builds crsim (Release) and runs the headline job.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
build/bin/bench_engine
