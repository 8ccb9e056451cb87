#!/usr/bin/env bash
# Sets up, builds and runs every test: unit tests (ctest), the same unit
# tests under AddressSanitizer + UndefinedBehaviorSanitizer, the libFuzzer
# targets briefly, and the Python interop tests (pytest). Exits non-zero on
# any failure. FLOE_TEST_FAST=1 skips the sanitizer and fuzz stages.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
start=$(date +%s)
stage() { echo; echo "=== $* ($(( $(date +%s) - start ))s)"; }

stage "setup"
scripts/setup.sh

stage "build"
scripts/build.sh

stage "unit tests"
ctest --test-dir build --output-on-failure -j "$(nproc)"

stage "interop tests (pytest)"
FLOE_BUILD_DIR="$root/build" .venv/bin/python -m pytest -q tests/interop

if [ "${FLOE_TEST_FAST:-0}" != "1" ]; then
  stage "unit tests under ASan + UBSan"
  FLOE_BUILD_DIR=build-asan FLOE_BUILD_TYPE=Debug scripts/build.sh -DFLOE_SANITIZE=ON
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)"

  stage "fuzz targets (libFuzzer + ASan, ${FLOE_FUZZ_SECONDS:-20}s each)"
  scripts/fuzz.sh "${FLOE_FUZZ_SECONDS:-20}"
fi

stage "all tests passed"
