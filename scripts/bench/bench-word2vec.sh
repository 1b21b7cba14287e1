#!/bin/sh
# Benchmarks our skip-gram trainer against gensim's Word2Vec on the same token stream, each setting
# once per seed (default seeds 1,2,3), one run at a time:
#   scripts/bench/bench-word2vec.sh [corpus] [options for scripts/bench/bench_word2vec.py]
# The two measurements in docs/bench-word2vec.md (about 25 and 75 minutes on a quiet 2-core machine):
#   scripts/bench/bench-word2vec.sh /work/shared/data/gutenberg-poetry.txt.gz --lines 1000000 --work /tmp/w2v-slice
#   scripts/bench/bench-word2vec.sh /work/shared/data/gutenberg-poetry.txt.gz --work /tmp/w2v-full
# Release build; the benchmark holds /tmp/lyrics-bench.lock (as the other benchmarks do), so it
# never overlaps another benchmark.
set -eu
cd "$(dirname "$0")/../.."
corpus=${1:-corpora/verse-2m.txt}
[ $# -gt 0 ] && shift
scratch=${SCRATCH_PATH:-.build-w-rel}
swift build -c release --scratch-path "$scratch" --product lyrics >&2
BENCH_COMMAND="scripts/bench/bench-word2vec.sh $corpus $*" exec python3 scripts/bench/bench_word2vec.py --lyrics "$scratch/release/lyrics" "$corpus" "$@"
