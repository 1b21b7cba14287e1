#!/usr/bin/env bash
# Generation speed of the shipped models, one stream and as a batch of candidate streams, fp32
# and bf16, with bf16's effect on bits/char (`lyrics generation-bench`), repeated REPEAT times
# (min/median/max) into docs/bench-generation.md and .json.
#
# Usage: scripts/bench/bench-generation.sh   (env: REPEAT=3 STREAMS=16 TOKENS=1000 OUT=docs/bench-generation)
# Runs under flock /tmp/lyrics-bench.lock so it never overlaps other timed work on the machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release >/dev/null
bin=$(mktemp -d)/lyrics
cp .build/release/lyrics "$bin"   # a copy: a rebuild during the run cannot change what is timed
exec flock /tmp/lyrics-bench.lock python3 scripts/bench/bench_generation.py "$bin"
