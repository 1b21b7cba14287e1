#!/bin/sh
# Benchmarks our skip-gram trainer against gensim's Word2Vec on the same token stream:
#   scripts/bench/bench-word2vec.sh [corpus] [extra options for scripts/bench/bench_word2vec.py]
# e.g. scripts/bench/bench-word2vec.sh /work/shared/data/gutenberg-poetry.txt.gz --markdown-out docs/x.md
# Release build; runs hold /tmp/lyrics-bench.lock so they never overlap other benchmarks.
set -eu
cd "$(dirname "$0")/../.."
corpus=${1:-corpora/verse-2m.txt}
[ $# -gt 0 ] && shift
scratch=${SCRATCH_PATH:-.build-w-rel}
swift build -c release --scratch-path "$scratch" --product lyrics >&2
exec flock /tmp/lyrics-bench.lock python3 scripts/bench/bench_word2vec.py --lyrics "$scratch/release/lyrics" "$corpus" "$@"
