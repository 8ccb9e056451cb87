#!/usr/bin/env bash
# Configures and builds Floe into build/ (the CLI is build/floe).
# Options: FLOE_BUILD_TYPE (default RelWithDebInfo), FLOE_BUILD_DIR (default build),
# FLOE_BUILD_TARGETS (default all; e.g. "floe_cli floe_datagen"),
# extra CMake arguments after the script name, e.g. scripts/build.sh -DFLOE_SANITIZE=ON
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${FLOE_BUILD_DIR:-build}"
jobs="${FLOE_JOBS:-$(nproc)}"
if [ ! -f "$build_dir/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${FLOE_BUILD_TYPE:-RelWithDebInfo}" "$@"
fi
targets=()
for t in ${FLOE_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build_dir" -j "$jobs" "${targets[@]}"
