#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/targets) with Debian's clang under
# ASan + UBSan and runs them, as many at once as there are cores.
#
#   scripts/fuzz.sh [SECONDS]            quick mode (CI): each target SECONDS
#                                        (default 20) from its seed corpus; a
#                                        crash or property failure fails the run
#   scripts/fuzz.sh --long SECONDS [--save-corpus] [TARGET...]
#                                        a campaign: each target SECONDS on a
#                                        corpus kept in build-fuzz/corpus/
#                                        across runs, then minimised (-merge=1);
#                                        reports executions, exec/s, coverage
#                                        and crashes per target. --save-corpus
#                                        copies a minimised corpus into
#                                        tests/fuzz/corpus/ when it is small.
#
# Failing inputs are left in build-fuzz/artifacts/<target>/; once fixed, they
# belong in tests/fuzz/regressions/<target>/, which the unit tests replay.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

long=0
save=0
seconds=20
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) long=1; seconds="$2"; shift 2 ;;
    --save-corpus) save=1; shift ;;
    [0-9]*) seconds="$1"; shift ;;
    *) targets+=("$1"); shift ;;
  esac
done

if [ ! -f build-fuzz/build.ninja ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFLOE_FUZZ=ON \
    -DFLOE_BUILD_TESTS=OFF -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14
fi
cmake --build build-fuzz --target floe_fuzz_targets -j "$(nproc)"
if [ ${#targets[@]} -eq 0 ]; then
  for t in build-fuzz/tests/fuzz/*_fuzz; do targets+=("$(basename "$t" _fuzz)"); done
fi

# Allocation stacks are not recorded (recording them costs a third of the
# time of allocation-heavy targets); replay a failing input to get them.
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=0}"
out="build-fuzz/runs/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

# run_target NAME: fuzzes one target; writes $out/NAME.log and NAME.status.
run_target() {
  local name="$1" bin="build-fuzz/tests/fuzz/${1}_fuzz"
  local artifacts="build-fuzz/artifacts/$name" corpus
  mkdir -p "$artifacts"
  if [ "$long" = 1 ]; then
    corpus="build-fuzz/corpus/$name"
  else
    corpus="$out/corpus-$name"
  fi
  mkdir -p "$corpus"
  cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
  cp -n tests/fuzz/regressions/"$name"/* "$corpus"/ 2>/dev/null || true
  local extra=()
  [ -f "tests/fuzz/dict/$name.dict" ] && extra+=(-dict="tests/fuzz/dict/$name.dict")
  # Per-target libFuzzer flags (tests/fuzz/options/NAME.options), e.g.
  # -entropic=0 for targets whose runs touch tens of thousands of features:
  # entropic's per-feature bookkeeping would cost more than the run itself.
  [ -f "tests/fuzz/options/$name.options" ] && read -r -a opts < "tests/fuzz/options/$name.options" \
    && extra+=("${opts[@]}")
  local status=0
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -max_len=65536 "${extra[@]}" -artifact_prefix="$artifacts/" "$corpus" > "$out/$name.log" 2>&1 || status=$?
  echo "$status" > "$out/$name.status"
  if [ "$long" = 1 ]; then
    local min="build-fuzz/corpus-min/$name"
    rm -rf "$min" && mkdir -p "$min"
    "$bin" -merge=1 -max_len=65536 "$min" "$corpus" > "$out/$name.merge.log" 2>&1 || true
  fi
}

echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $(nproc) at a time; logs in $out"
running=0
for name in "${targets[@]}"; do
  run_target "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$(nproc)" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

# Report: executions, exec/s, coverage, corpus and outcome per target.
failed=0
total=0
printf '%-20s %12s %8s %7s %7s %7s  %s\n' target executions exec/s cov ft corpus outcome
for name in "${targets[@]}"; do
  log="$out/$name.log"
  execs=$(grep -oE '^stat::number_of_executed_units: [0-9]+' "$log" | awk '{print $2}' | tail -1)
  execs=${execs:-0}
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
  status=$(cat "$out/$name.status")
  outcome=ok
  if [ "$status" != 0 ]; then
    outcome="FAILED (exit $status; input in build-fuzz/artifacts/$name/)"
    failed=1
  fi
  total=$((total + execs))
  # libFuzzer's own rate: executions over the time the target really ran.
  rate=$(sed -nE 's/.* exec\/s: ([0-9]+).*/\1/p' <<<"$last")
  printf '%-20s %12s %8s %7s %7s %7s  %s\n' "$name" "$execs" "${rate:-$((execs / seconds))}" \
    "${cov:--}" "${ft:--}" "${corp:--}" "$outcome"
  if [ "$status" != 0 ]; then
    grep -E "property failed|ERROR: |SUMMARY: |ParseDictionaryFile" "$log" | head -5 | sed 's/^/    /' || true
  fi
  if [ "$long" = 1 ] && [ "$save" = 1 ] && [ "$status" = 0 ]; then
    min="build-fuzz/corpus-min/$name"
    files=$(find "$min" -type f | wc -l)
    kb=$(du -sk "$min" | cut -f1)
    if [ "$files" -gt 0 ] && [ "$files" -le 300 ] && [ "$kb" -le 512 ]; then
      # The named seeds stay; minimised inputs not already among them join them.
      known=$(sha1sum tests/fuzz/corpus/"$name"/* | cut -d' ' -f1)
      added=0
      for f in "$min"/*; do
        if ! grep -qx "$(sha1sum "$f" | cut -d' ' -f1)" <<<"$known"; then
          cp "$f" "tests/fuzz/corpus/$name/"
          added=$((added + 1))
        fi
      done
      echo "    kept $added new inputs of the minimised corpus ($files files, ${kb} KiB) in tests/fuzz/corpus/$name"
    else
      echo "    minimised corpus too large to keep ($files files, ${kb} KiB)"
    fi
  fi
done
echo "fuzz: $total executions in all"
if [ "$long" != 1 ]; then rm -rf "$out"/corpus-*; fi
exit "$failed"
