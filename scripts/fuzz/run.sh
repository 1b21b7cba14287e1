#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ (docs/reliability.md), each for a set time, from the
# committed seed corpus fuzz/corpus/<Target>/, with AddressSanitizer (crashes, overflows, leaks),
# a 1 s limit per input (hangs) and a 2 GB memory limit (out-of-memory).
#
#   scripts/fuzz/run.sh                    # every target, 10 minutes each
#   scripts/fuzz/run.sh --seconds 30       # the short run of the benchmark (scripts/bench/fuzz-short.sh)
#   scripts/fuzz/run.sh --seconds 60 FuzzVectors FuzzTables
#   scripts/fuzz/run.sh --build-only
#
# New inputs go to fuzz/.work/corpus/<Target>/ (seeds copied there first, kept between runs),
# findings to fuzz/.work/artifacts/<Target>/ (crash-*, timeout-*, leak-*, oom-*); the summary
# (executions, seconds, findings per target) to fuzz/.work/summary.tsv and stdout. A target with a
# dictionary in fuzz/dicts/ gets it (-dict=). Exits 1 when
# any target found something. Runs under `nice -n 10`; LYRICS_FUZZ_BUILD sets the build folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=600
build_only=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n 2,15p "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
all=(FuzzSafeTensors FuzzVectors FuzzTables FuzzCorpus FuzzSongSpec FuzzRequest)
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
scratch="${LYRICS_FUZZ_BUILD:-$root/fuzz/.build}"

# The binaries' folder is not asked of SwiftPM: a call with other flags makes it rebuild everything.
(cd fuzz && nice -n 10 swift build --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -g)
bin="$scratch/debug"
[ "$build_only" = 1 ] && exit 0

work="$root/fuzz/.work"
mkdir -p "$work"
summary="$work/summary.tsv"
[ -f "$summary" ] || printf 'date\ttarget\tseconds_asked\texecutions\tseconds_run\texec_per_s\tfindings\n' > "$summary"
found_any=0
for t in "${targets[@]}"; do
  corpus="$work/corpus/$t" artifacts="$work/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  cp -n "fuzz/corpus/$t/"* "$corpus/" 2>/dev/null || true
  log="$work/$t.log"
  start=$(date +%s.%N)
  # -fork would survive the first finding; one process keeps the executions count exact.
  # A target's dictionary (fuzz/dicts/<Target>.dict: the tokens of its format), when it has one.
  dict=()
  [ -f "fuzz/dicts/$t.dict" ] && dict=(-dict="fuzz/dicts/$t.dict")
  set +e
  # SWIFT_BACKTRACE off: Swift's crash backtracer reads the stack in a way ASan reports as an
  # underflow, hiding the real report.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}" \
    nice -n 10 "$bin/$t" "$corpus" -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" > "$log" 2>&1
  rc=$?
  set -e
  end=$(date +%s.%N)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
  rate=$(awk -v n="${runs:-0}" -v s="$took" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  findings=$(ls "$artifacts" | wc -l)
  [ "$rc" = 0 ] || [ "$findings" -gt 0 ] || findings="exit $rc"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "$seconds" "${runs:-?}" "$took" "$rate" "$findings" | tee -a "$summary"
  if [ "$rc" != 0 ]; then found_any=1; grep -m1 -A3 -E 'ERROR|Fatal error|==[0-9]+==' "$log" || tail -5 "$log"; fi
done
exit $found_any
