#!/usr/bin/env bash
# Writes the chart fixtures of Tests/EvaluationTests/SVGPlotFixtures.swift (three models'
# validation curves, training losses, a fine-tuning pair, six crossing series, thirty crowded
# words, the PCA of the report's words from vectors/verse-2m.bin) as SVGs and screenshots each
# in headless Chromium, to look at what the plotting code draws.
#
#   scripts/render-plot-fixtures.sh [out-dir] [scratch-path]     (default /tmp/plot-fixtures, .build)
#
# Builds the tests first if needed. Screenshots are skipped when Chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/plot-fixtures}
SCRATCH=${2:-.build}
mkdir -p "$OUT"
swift build --build-tests --scratch-path "$SCRATCH" >&2
LYRICS_PLOT_DIR="$OUT" swift test --skip-build --scratch-path "$SCRATCH" --filter SVGPlotFixtureTests >&2
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
for svg in "$OUT"/*.svg; do
  if [ -n "$CHROME" ]; then
    size=$(sed -n 's/^<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1,\2/p' "$svg" | head -1)
    "$CHROME" --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size="$size" \
      --screenshot="${svg%.svg}.png" "file://$(realpath "$svg")" 2>/dev/null
  fi
  echo "${svg%.svg}.*"
done
