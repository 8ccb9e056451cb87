#!/usr/bin/env bash
# Builds the libFuzzer targets with Debian's clang and runs each for N
# seconds (default 20) on its seed corpus under ASan + UBSan.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-20}"
if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOE_FUZZ=ON \
    -DFLOE_BUILD_TESTS=OFF -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
fi
cmake --build build-fuzz --target floe_fuzz_targets -j "$(nproc)"
for target in build-fuzz/tests/fuzz/*_fuzz; do
  name="$(basename "$target")"
  corpus="tests/fuzz/corpus/${name%_fuzz}"
  work="$(mktemp -d)"
  mkdir -p "$work/corpus"
  cp -r "$corpus"/. "$work/corpus"/ 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s ($(ls "$corpus" 2>/dev/null | wc -l) seeds)"
  if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$work/" "$work/corpus" > "$work/log" 2>&1; then
    tail -60 "$work/log"
    echo "fuzz: $name failed; the failing input is in $work"
    exit 1
  fi
  grep -E "^stat::(number_of_executed_units|new_units_added)" "$work/log" | sed 's/^/  /'
  rm -rf "$work"
done
