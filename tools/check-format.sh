#!/bin/sh
# Fails when a tracked C++ file differs from what clang-format (the repository's .clang-format)
# would make of it. Usage: tools/check-format.sh   (from anywhere inside the repository)
set -eu
cd "$(git rev-parse --show-toplevel)"
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed" >&2; exit 2; }
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run -Werror
