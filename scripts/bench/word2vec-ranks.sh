#!/usr/bin/env bash
# Word vectors on 1 process vs N ranks under mpirun (1 thread each, same corpus and options; each
# rank steps with N x --alpha, see docs/distributed.md):
#   RANKS="2 4" scripts/bench/word2vec-ranks.sh [corpus] [extra lyrics vectors train options]
# e.g. scripts/bench/word2vec-ranks.sh /tmp/gp600k.txt   (the first 600,000 lines of the full corpus:
#   zcat /work/shared/data/gutenberg-poetry.txt.gz | head -n 600000 > /tmp/gp600k.txt)
# Prints one Markdown row per run: words/s (raw tokens x epochs / slowest rank's training seconds),
# Google-analogy accuracy and MEN Spearman from `lyrics vectors evaluate`, the averages each rank
# made and the bytes one hot sync and one full average put into an allreduce. Release build;
# runs hold /tmp/lyrics-bench.lock so they never overlap other benchmarks.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${1:-corpora/verse-2m.txt}
[ $# -gt 0 ] && shift
# LYRICS=path/to/lyrics uses that binary instead of building one.
scratch=${SCRATCH_PATH:-.build-w-rel}
if [ -z "${LYRICS:-}" ]; then swift build -c release --scratch-path "$scratch" --product lyrics >&2; fi
lyrics=${LYRICS:-$scratch/release/lyrics}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
echo "corpus $corpus; options: --threads 1 $*; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| run | train s | words/s | analogy % (answered) | MEN rho | hot averages x rows | full averages | bytes per hot sync | bytes per full average | s averaging (rank 0) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
run() {
    name=$1; shift
    flock /tmp/lyrics-bench.lock "$@" --corpus "$corpus" --threads 1 --quiet --out "$out/$name" --stats-out "$out/$name.json" "${extra[@]+"${extra[@]}"}" >/dev/null
    "$lyrics" vectors evaluate --vectors "$out/$name.bin" --json > "$out/$name.eval.json"
    dim=$(head -n 1 "$out/$name.vec" | cut -d' ' -f2)
    jq -r --arg name "$name" --argjson dim "$dim" --slurpfile e "$out/$name.eval.json" '
        [$name, (.seconds * 10 | round / 10), (.words_per_second | round),
         "\($e[0].analogies.total.correct * 10000 / ([$e[0].analogies.total.correct + $e[0].analogies.total.incorrect, 1] | max) | round / 100) (\($e[0].analogies.total.correct + $e[0].analogies.total.incorrect))",
         ($e[0].pairs[] | select(.file | test("men")) | .spearman * 1000 | round / 1000),
         (if .ranks > 1 then "\(.hotAverages) x \(.syncRows)", .fullAverages, (.syncRows * $dim * 4 * 2),
              (.vocabulary * $dim * 4 * 2), (.syncSeconds * 100 | round / 100) else "-", "-", "-", "-", "-" end)]
        | "| " + (map(tostring) | join(" | ")) + " |"' "$out/$name.json"
}
extra=("$@")
run "1 process" "$lyrics" vectors train
for n in ${RANKS:-2}; do
    run "$n ranks" mpirun -q --oversubscribe -np "$n" "$lyrics" vectors train
done
