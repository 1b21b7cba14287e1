#!/usr/bin/env bash
# Char-model speed benchmark: ours (release build) vs Keras/tensorflow-cpu on the same normalised
# training text of the verse-2m split, same architecture. Reports characters/s for training and
# for one-character-at-a-time generation, and the ratios; writes docs/bench-char.md.
#
# Usage: scripts/bench/bench-char.sh [corpus]   (env: HIDDEN LAYERS EMBEDDING BATCH SEQ STEPS GEN_CHARS)
# Runs under flock /tmp/lyrics-bench.lock so it never overlaps other benchmarks on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${1:-corpora/verse-2m.txt}
swift build -c release --scratch-path .build-r-rel >/dev/null
python3 -c "import tensorflow" 2>/dev/null || python3 -m pip install -q tensorflow-cpu
exec flock /tmp/lyrics-bench.lock python3 scripts/bench/bench_char.py "$CORPUS" .build-r-rel/release/lyrics
