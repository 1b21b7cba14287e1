#!/bin/sh
# Originality index benchmark: build time and peak memory of the index of a corpus (default: the
# full 22M-word Gutenberg Poetry Corpus, read through the tool's .gz support), then checking 100
# lines against the cached index. Figures go to docs/songwriting.md.
#
#   scripts/bench/originality.sh [CORPUS] [LYRICS_BINARY]
#
# The cache goes to a fresh temporary folder, so the first run always builds.
set -eu
corpus=${1:-/work/shared/data/gutenberg-poetry.txt.gz}
lyrics=${2:-.build/release/lyrics}
[ -x "$lyrics" ] || { echo "error: $lyrics: build it first (swift build -c release)" >&2; exit 1; }
[ -f "$corpus" ] || { echo "error: $corpus: no such file" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 100 lines to check, all from the corpus's lines with at least 6 words (every 15,000th):
# 34 as they are (exact copies), 33 spliced (the first half of one line and the second half of
# the next: shared runs, no exact copy) and 33 with their words reversed (nothing to find).
{ if [ "${corpus%.gz}" != "$corpus" ]; then gzip -dc "$corpus"; else cat "$corpus"; fi; } \
  | awk 'NR % 15000 == 0 && NF >= 6' | head -133 > "$work/sample.txt"
awk 'NR <= 34' "$work/sample.txt" > "$work/lines.txt"
awk 'NR > 34 && NR <= 100 { if (NR % 2 == 1) { split($0, a, " "); n = length(a) } else {
       h = int(n / 2); s = ""; for (k = 1; k <= h; k++) s = s a[k] " "
       m = split($0, b, " "); for (k = int(m / 2) + 1; k <= m; k++) s = s b[k] (k < m ? " " : ""); print s } }' \
  "$work/sample.txt" >> "$work/lines.txt"
awk 'NR > 100 && NR <= 133 { s = ""; for (k = NF; k >= 1; k--) s = s $k (k > 1 ? " " : ""); print s }' "$work/sample.txt" >> "$work/lines.txt"
echo "checking $(wc -l < "$work/lines.txt") lines against $corpus"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== build the index (cold cache)"
/usr/bin/time -v "$lyrics" check --corpus "$corpus" --cache "$work/cache" "$work/lines.txt" > "$work/first.txt" 2> "$work/build.err"
grep -E "^index of|^checked|Elapsed|Maximum resident" "$work/build.err"
tail -1 "$work/first.txt"
ls -l "$work/cache"

echo "== check again (index cached)"
/usr/bin/time -v "$lyrics" check --corpus "$corpus" --cache "$work/cache" "$work/lines.txt" > "$work/second.txt" 2> "$work/check.err"
grep -E "^index of|^checked|Elapsed|Maximum resident" "$work/check.err"
tail -1 "$work/second.txt"
cmp "$work/first.txt" "$work/second.txt" && echo "same report from the built and the cached index"
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
