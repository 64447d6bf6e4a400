#!/usr/bin/env bash
# Builds the libFuzzer targets of the nested package Fuzz/ (release, with AddressSanitizer) and runs each for a given
# time on a scratch copy of its committed seed corpus (Fuzz/Corpus/<target>/ is never grown). Prints one line per
# target: runs, executions per second, corpus size at the end, result. Exits non-zero if any target found a crash,
# a hang (over 10 s for one input) or an out-of-memory, printing the path of the input that did it.
#
#   scripts/fuzz.sh [seconds-per-target] [target…]    (default: 60 s, every target)
#   scripts/fuzz.sh --seeds                           (rewrite Fuzz/Corpus/ from the seed makers, then exit)
#
# FUZZ_SKIP_BUILD=1 skips the build (another run just built it); FUZZ_SCRATCH names the scratch folder.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"

all_targets=(FuzzCanonical FuzzTransaction FuzzBlock FuzzStateRecord FuzzUpdateBlob FuzzSafetensors FuzzCSV FuzzPeerFrame
  FuzzSealedBlob)
# The longest input per target: enough for the biggest valid value of its format with room to grow.
declare -A max_len=(
  [FuzzCanonical]=512 [FuzzTransaction]=4096 [FuzzBlock]=8192 [FuzzStateRecord]=4096
  [FuzzUpdateBlob]=8192 [FuzzSafetensors]=8192 [FuzzCSV]=4096 [FuzzPeerFrame]=8192 [FuzzSealedBlob]=2048
)
# `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main instead of the targets' own; the sanitizers themselves come
# in one `-Xswiftc` flag, because SwiftPM writes two `--sanitize` options in a random order and swiftc keeps only the
# last `-sanitize=` (half the builds would lose either the coverage or AddressSanitizer, and rebuild everything).
build=(swift build -c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)

if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  started=$SECONDS
  "${build[@]}" >&2
  echo "built in $((SECONDS - started)) s" >&2
fi
bin=$("${build[@]}" --show-bin-path)

if [ "${1:-}" = "--seeds" ]; then
  for target in "${all_targets[@]}"; do
    rm -rf "Corpus/$target"
    DEAI_FUZZ_WRITE_SEEDS="Corpus/$target" "$bin/$target"
  done
  exit 0
fi

seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

scratch=${FUZZ_SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/deai-fuzz.XXXXXX")}
failed=0
for target in "${targets[@]}"; do
  [ -n "${max_len[$target]:-}" ] || { echo "unknown target $target (known: ${all_targets[*]})" >&2; exit 2; }
  work="$scratch/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp Corpus/"$target"/* "$work/corpus/"
  status=0
  "$bin/$target" "$work/corpus" -max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" >"$work/log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
  # A crash prints no final statistics: then the runs of the last status line.
  [ -n "$runs" ] || runs=$(grep -aoE '^#[0-9]+' "$work/log" | tail -n 1 | tr -d '#')
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -n 1)
  corpus=$(find "$work/corpus" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    result="ok"
  else
    failed=1
    artifact=$(find "$work/artifacts" -type f | head -n 1)
    result="FAILED (exit $status): input ${artifact:-none written}, log $work/log"
  fi
  printf '%-16s %6s s  runs %10s  exec/s %7s  corpus %5s  %s\n' \
    "$target" "$seconds" "${runs:-?}" "${speed:-?}" "$corpus" "$result"
done
exit $failed
