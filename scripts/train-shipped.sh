#!/usr/bin/env bash
# Trains the shipped models (models/README.md) on the whole Gutenberg Poetry Corpus's training
# blocks, resumably: run it again after any interruption (a reboot, a killed session) and each
# run continues from its last periodic checkpoint with `--resume` alone. Checkpoints (with
# optimizer state) live in $RUNS, outside the repository; only `lyrics export`'s weights-only
# files go into models/ (step "export" below, when both runs are done).
#
# Usage: scripts/train-shipped.sh [char|word|export]...   (default: char word, in the background)
# Env: RUNS (default /work/runs/long), CORPUS_GZ (the gzipped corpus), LYRICS (the binary).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-/work/runs/long}
CORPUS_GZ=${CORPUS_GZ:-../shared/data/gutenberg-poetry.txt.gz}
LYRICS=${LYRICS:-$RUNS/lyrics}
mkdir -p "$RUNS"
if [ ! -x "$LYRICS" ]; then
  swift build -c release >/dev/null
  cp .build/release/lyrics "$LYRICS"   # a copy, so rebuilding the repo never changes a running trainer
fi
data="$RUNS/data"
if [ ! -s "$data/train-shuffled.txt" ]; then
  mkdir -p "$data"
  "$LYRICS" corpus --corpus "$CORPUS_GZ" --part train --hold-out corpora/verse-2m.txt --output "$data/train.txt"
  "$LYRICS" corpus --corpus "$CORPUS_GZ" --part valid --every-block 20 --output "$data/valid.txt"
  python3 scripts/data/shuffle_blocks.py "$data/train.txt" "$data/train-shuffled.txt" 1
fi

# One run: resume when its checkpoint exists, else start; CPU seconds logged every 60 s.
run() {
  local name=$1; shift
  local ckpt="$RUNS/$name.safetensors" log="$RUNS/$name.log"
  # The trainer itself in the background (not a subshell), so `ps` below reads its CPU time.
  if [ -s "$ckpt" ]; then
    "$LYRICS" "${@:1:1}" train --resume "$ckpt" --save-every 5 >>"$log" 2>&1 &
  else
    "$LYRICS" "$@" --output "$ckpt" --save-every 5 >>"$log" 2>&1 &
  fi
  local pid=$!
  ( while kill -0 "$pid" 2>/dev/null; do
      echo "$(date -u +%FT%TZ) $(ps -o cputime= -p "$pid" | tr -d ' ')" >>"$RUNS/$name.cputime"; sleep 60
    done ) &
  echo "$name: pid $pid, log $log"
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(char word)
for s in "${steps[@]}"; do
  case "$s" in
    char)
      run char char train --corpus "$data/train-shuffled.txt" --valid "$data/valid.txt" --hidden 384 \
        --epochs 2 --threads 1 --seed 1 --patience 0 --eval-every 2000 ;;
    word)
      run word word train --corpus "$data/train-shuffled.txt" --valid "$data/valid.txt" --vectors models/word-vectors.bin \
        --loss vmf --hidden 384 --lr 3e-3 --fine-tune-vectors --negatives 2048 \
        --epochs 2 --threads 1 --seed 1 --patience 0 --eval-every 1000 ;;
    export)
      "$LYRICS" export --model "$RUNS/char.safetensors" --output models/char.safetensors
      "$LYRICS" export --model "$RUNS/word.safetensors" --output models/word.safetensors --vectors-name word-vectors.bin
      # The validation lines are the scale report's curve (notebooks-exported/scale.md); $RUNS may
      # not survive the machine, so the logs go into the repository with the models.
      mkdir -p docs/runs
      grep -E "valid|step" "$RUNS/char.log" > docs/runs/shipped-char-train.log || true
      grep -E "valid|step" "$RUNS/word.log" > docs/runs/shipped-word-train.log || true ;;
    *) echo "error: step: unknown '$s' (char, word or export)" >&2; exit 2 ;;
  esac
done
