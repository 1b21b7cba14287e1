#!/usr/bin/env bash
# LSTM training speed, ours (release build) against PyTorch on the CPU, side by side in one run:
# char 2x384 and 2x768, word vMF over 13.6k and 46.5k words, 1 and 2 threads; rates
# (min/median/max over repeats) and ratios into docs/bench-lstm.md and docs/bench-lstm.json.
# Installs PyTorch from PyPI when it is missing (the CPU wheel index first, then PyPI).
#
# Usage: scripts/bench/bench-lstm.sh   (env: REPEAT CONFIGS THREADS VARIANTS OUT; see bench_lstm.py)
# Runs under flock /tmp/lyrics-bench.lock so it never overlaps other timed work on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release >/dev/null
bin=$(mktemp -d)/lyrics
cp .build/release/lyrics "$bin"   # a copy: a rebuild during the run cannot change what is timed
if ! python3 -c "import torch" 2>/dev/null; then
  python3 -m pip install -q torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null \
    || python3 -m pip install -q torch
fi
exec flock /tmp/lyrics-bench.lock python3 scripts/bench/bench_lstm.py "$bin"
