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

# 100 lines to check: 50 taken from the corpus itself (every 60,000th line, so exact copies and
# long runs are found) and 50 from the bundled sonnets, whose lines may or may not be in it.
{ if [ "${corpus%.gz}" != "$corpus" ]; then gzip -dc "$corpus"; else cat "$corpus"; fi; } | awk 'NR % 60000 == 0' | head -50 > "$work/lines.txt"
grep -v '^$' corpora/sonnets.txt | awk 'NR % 40 == 1' | head -50 >> "$work/lines.txt"
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
