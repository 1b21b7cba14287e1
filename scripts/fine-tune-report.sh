#!/usr/bin/env bash
# Fine-tuning vs training from scratch, and sample blends (issue 6). Trains a base char model on
# the large corpus, fine-tunes it on each small corpus (sonnets, psalms), trains the same
# architecture from scratch on each small corpus with the same plan, scores all of them on the
# small corpus's test split and writes notebooks-exported/fine-tuning.{md,ipynb} (+ SVG curves)
# with sample blended songs (alternate and mix) of the two fine-tuned models.
#
# Usage: scripts/fine-tune-report.sh [workdir]
#   env: BASE_MINUTES (2.5) HIDDEN (256) SMALL_EPOCHS (5) FT_LR (1e-3) SCRATCH_LR (3e-3) THREADS (2)
#        SCRATCH (the release build folder, .build-b-rel)
# Models go to the work dir (default /tmp/lyrics-fine-tune), never into the repository. Stages
# whose checkpoint exists are skipped, so a rerun only redoes what is missing. The whole run holds
# flock /tmp/lyrics-bench.lock once (the machine's 2 cores are shared), so stages never interleave
# with other benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/tmp/lyrics-fine-tune}
BASE_MINUTES=${BASE_MINUTES:-2.5}
HIDDEN=${HIDDEN:-256}
SMALL_EPOCHS=${SMALL_EPOCHS:-5}
FT_LR=${FT_LR:-1e-3}
SCRATCH_LR=${SCRATCH_LR:-3e-3}
THREADS=${THREADS:-2}
SCRATCH=${SCRATCH:-.build-b-rel}
mkdir -p "$W"
if [ -z "${FT_LOCKED:-}" ]; then
  swift build -c release --scratch-path "$SCRATCH" --product lyrics >/dev/null
  FT_LOCKED=1 exec flock /tmp/lyrics-bench.lock "$0" "$@"
fi
L=$SCRATCH/release/lyrics
lock() { "$@"; }

if [ ! -f "$W/base.safetensors" ]; then
  lock $L char train --corpus corpora/verse-2m.txt --output "$W/base.safetensors" --hidden "$HIDDEN" --layers 2 \
    --minutes "$BASE_MINUTES" --eval-every 200 --threads "$THREADS" 2> "$W/base.log"
fi

for small in sonnets psalms; do
  common=(--base "$W/base.safetensors" --corpus "corpora/$small.txt" --epochs "$SMALL_EPOCHS" --batch 16
          --eval-every 25 --patience 6 --threads "$THREADS")
  [ -f "$W/$small-tuned.safetensors" ] ||
    lock $L char fine-tune "${common[@]}" --lr "$FT_LR" --output "$W/$small-tuned.safetensors" 2> "$W/$small-tuned.log"
  [ -f "$W/$small-scratch.safetensors" ] ||
    lock $L char fine-tune "${common[@]}" --from-scratch --lr "$SCRATCH_LR" --output "$W/$small-scratch.safetensors" 2> "$W/$small-scratch.log"
done

P="$W/psalms-tuned.safetensors" S="$W/sonnets-tuned.safetensors"
$L blend --model-a "$P" --model-b "$S" --mode alternate --unit line --lines 8 --seed 7 --prompt "the lord is my" --show-authors > "$W/alternate-line.txt"
$L blend --model-a "$S" --model-b "$P" --mode alternate --unit stanza --stanza-lines 4 --lines 8 --seed 11 --show-authors > "$W/alternate-stanza.txt"
$L blend --model-a "$P" --model-b "$S" --mode mix --weight 0.5 --unit stanza --lines 8 --seed 5 --prompt "my love" > "$W/mix-0.5.txt"

lock $L fine-tuning-report --base "$W/base.safetensors" \
  --run "Sonnets=corpora/sonnets.txt,$W/sonnets-tuned.safetensors,$W/sonnets-scratch.safetensors" \
  --run "Psalms=corpora/psalms.txt,$W/psalms-tuned.safetensors,$W/psalms-scratch.safetensors" \
  --sample "Alternating lines, Psalms model (A) and Sonnets model (B), seed 7=$W/alternate-line.txt" \
  --sample "Alternating 4-line stanzas, Sonnets model (A) and Psalms model (B), seed 11=$W/alternate-stanza.txt" \
  --sample "Mixed distributions, weight 0.5 each (Psalms, Sonnets), seed 5=$W/mix-0.5.txt" \
  --notes "Base: LSTM 2×$HIDDEN trained $BASE_MINUTES min on corpora/verse-2m.txt. Small corpora: $SMALL_EPOCHS epochs (batch 16, 64-char chunks, validation every 25 steps, early stopping with patience 6 restoring the best weights); fine-tuning peak lr $FT_LR, from scratch $SCRATCH_LR." \
  --command "scripts/fine-tune-report.sh  # BASE_MINUTES=$BASE_MINUTES HIDDEN=$HIDDEN SMALL_EPOCHS=$SMALL_EPOCHS" \
  --threads "$THREADS" --output-dir notebooks-exported --name fine-tuning
