#!/usr/bin/env bash
# Sets up, builds and runs every test: the unit tests (ctest) under
# AddressSanitizer + UndefinedBehaviorSanitizer, the Python interop tests
# (pytest) against the CLI in build/, and the libFuzzer targets briefly.
# Exits non-zero on any failure. FLOE_TEST_FAST=1 runs the unit tests
# without sanitizers (full build in build/) and skips fuzzing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
start=$(date +%s)
stage() { echo; echo "=== $* ($(( $(date +%s) - start ))s)"; }

stage "setup"
FLOE_SKIP_SEAWEEDFS=1 FLOE_WITH_JARS=1 scripts/setup.sh
# SeaweedFS (the S3 server of the tests) builds once, beside the C++ build.
weed_log="$(mktemp)"
scripts/install_seaweedfs.sh > "$weed_log" 2>&1 &
weed_pid=$!
trap 'kill "$weed_pid" 2>/dev/null || true' EXIT
wait_for_seaweedfs() {
  stage "SeaweedFS"
  if ! wait "$weed_pid"; then
    cat "$weed_log"
    echo "test: building SeaweedFS failed (scripts/install_seaweedfs.sh)"
    exit 1
  fi
  tail -1 "$weed_log"
}

if [ "${FLOE_TEST_FAST:-0}" = "1" ]; then
  stage "build"
  scripts/build.sh
  wait_for_seaweedfs
  stage "unit tests"
  ctest --test-dir build --output-on-failure -j "$(nproc)"
else
  # The unit tests run once, under the sanitizers; build/ needs only the
  # programs pytest drives, which keeps a cold CI build within budget.
  stage "build (programs)"
  if [ ! -f build/build.ninja ]; then
    # Release (no debug info) keeps the cold build short; scripts/build.sh
    # defaults to RelWithDebInfo for development.
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${FLOE_BUILD_TYPE:-Release}"
  fi
  cmake --build build -j "$(nproc)" --target floe_cli floe_datagen floe_bench \
    floe_write_fixtures floe_pg_server floe_sql_catalog floe_data_test

  stage "unit tests under ASan + UBSan"
  if [ ! -f build-asan/build.ninja ]; then
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFLOE_SANITIZE=ON \
      -DCMAKE_CXX_FLAGS_DEBUG="-g1"
  fi
  cmake --build build-asan --target floe_unit_tests -j "$(nproc)"
  wait_for_seaweedfs
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
fi

stage "interop tests (pytest)"
FLOE_BUILD_DIR="$root/build" .venv/bin/python -m pytest -q tests/interop

if [ "${FLOE_TEST_FAST:-0}" != "1" ]; then
  stage "fuzz targets (libFuzzer + ASan, ${FLOE_FUZZ_SECONDS:-20}s each)"
  scripts/fuzz.sh "${FLOE_FUZZ_SECONDS:-20}"
fi

stage "all tests passed"
