#!/usr/bin/env bash
# Installs `lyrics` under PREFIX (default ~/.local): the release binary (and the resource bundles:
# the pronunciation dictionary, the web page's HTML/CSS/JS) in PREFIX/bin, and the shipped models, corpora, vectors and
# word evaluation sets in PREFIX/share/lyrics, where the binary finds them from any directory.
# Usage: scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${1:-$HOME/.local}
swift build -c release 2>&1 | tail -1
BIN=$(swift build -c release --show-bin-path)
mkdir -p "$PREFIX/bin" "$PREFIX/share/lyrics"
cp "$BIN/lyrics" "$PREFIX/bin/lyrics"
for bundle in "$BIN"/*.resources; do [ -e "$bundle" ] && rm -rf "$PREFIX/bin/$(basename "$bundle")" && cp -R "$bundle" "$PREFIX/bin/"; done
for dir in models corpora vectors; do
  [ -d "$dir" ] && { rm -rf "$PREFIX/share/lyrics/$dir"; cp -R "$dir" "$PREFIX/share/lyrics/$dir"; }
done
echo "installed $PREFIX/bin/lyrics (data in $PREFIX/share/lyrics); make sure $PREFIX/bin is on your PATH"
