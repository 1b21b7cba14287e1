#!/usr/bin/env bash
# Opens the `lyrics serve` classic page (/classic) in headless Chromium, generates lyrics through the page's own
# form logic (?go=1 runs the same generate() the button runs) and saves a screenshot.
#
#   scripts/page-screenshot.sh [lyrics-binary] [out.png]
#
# Serves a char model: CHAR_MODEL, else a tiny one it trains on the sonnets first (small, so the
# song through the page stays quick in a debug build). Exits 0 with a message (and no screenshot) where Chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/lyrics}
OUT=${2:-notebooks-exported/page-screenshot.png}
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
  echo "page-screenshot: skipped: no Chromium found (apt-get install chromium)"
  exit 0
fi
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

MODEL=${CHAR_MODEL:-}
if [ -z "$MODEL" ]; then
  MODEL="$WORK/sonnets-char.safetensors"
  "$BIN" char train --corpus corpora/sonnets.txt --hidden 64 --layers 1 --seq-length 32 --batch 16 \
    --steps 300 --precision fp32 --output "$MODEL" --quiet >/dev/null
fi
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --host 127.0.0.1 --port "$PORT" --char-model "sonnets=$MODEL" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/api/models" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/api/models" >/dev/null || { echo "page-screenshot: server did not start:"; cat "$WORK/server.log"; exit 1; }

URL="http://127.0.0.1:$PORT/classic?model=sonnets&prompt=shall%20i%20compare%20thee&length=300&temperature=0.7&seed=7&go=1"
mkdir -p "$(dirname "$OUT")"
timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,1000 \
  --virtual-time-budget=15000 --screenshot="$WORK/page.png" "$URL" >/dev/null 2>&1
DOM=$(timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --virtual-time-budget=15000 --dump-dom "$URL" 2>/dev/null)
# The page must show generated text (the result box filled, no error message).
echo "$DOM" | python3 -c '
import sys, re
dom = sys.stdin.read()
out = re.search(r"<div id=\"out\">(.*?)</div>", dom, re.S)
err = re.search(r"<p id=\"err\">(.*?)</p>", dom, re.S)
text = out.group(1).strip() if out else ""
if err and err.group(1).strip():
    sys.exit("page-screenshot: page shows an error: " + err.group(1).strip())
if len(text) < 50 or not text.startswith("shall i compare thee"):
    sys.exit("page-screenshot: no lyrics on the page: %r" % text[:200])
print("page-screenshot: page generated %d characters" % len(text))
'
mv "$WORK/page.png" "$OUT"
echo "page-screenshot: saved $OUT"

# A song with an AABB scheme through the page's song fields: the rhyme words must be marked
# (bold) and each marked pair must rhyme by the tool's own dictionary (`lyrics rhyme --json`),
# unless the page shows the note for a line that missed.
SONG_OUT="${OUT%.png}-song.png"
URL="http://127.0.0.1:$PORT/classic?model=sonnets&prompt=&rhyme=AABB&lines=8&temperature=0.7&seed=3&go=1"
timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,1000 \
  --virtual-time-budget=30000 --screenshot="$WORK/song.png" "$URL" >/dev/null 2>&1
DOM=$(timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --virtual-time-budget=30000 --dump-dom "$URL" 2>/dev/null)
PAIRS=$(echo "$DOM" | python3 -c '
import sys, re
dom = sys.stdin.read()
err = re.search(r"<p id=\"err\">(.*?)</p>", dom, re.S)
if err and err.group(1).strip():
    sys.exit("page-screenshot: song page shows an error: " + err.group(1).strip())
words = re.findall(r"<b class=\"rhyme\">([a-z\x27]+)</b>", dom)
if len(words) < 8:
    sys.exit("page-screenshot: expected 8 marked rhyme words, found %d: %r" % (len(words), words))
print(" ".join(words))
')
echo "page-screenshot: rhyme words on the page: $PAIRS"
set -- $PAIRS
RHYMED=0
for pair in "1 2" "3 4" "5 6" "7 8"; do
  read -r a b <<<"$pair"
  wa=${!a}; wb=${!b}
  if "$BIN" rhyme --json "$wa" "$wb" | python3 -c 'import sys, json; r = json.load(sys.stdin)["rhymes"][0]; sys.exit(0 if r.get("rhyme") == "yes" else 1)'; then
    RHYMED=$((RHYMED + 1))
  else
    echo "page-screenshot: '$wa' / '$wb' do not rhyme"
  fi
done
[ "$RHYMED" -ge 3 ] || { echo "page-screenshot: only $RHYMED of 4 pairs rhyme"; exit 1; }
mv "$WORK/song.png" "$SONG_OUT"
echo "page-screenshot: page rhymes ($RHYMED of 4 pairs); saved $SONG_OUT"
