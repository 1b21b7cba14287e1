#!/usr/bin/env bash
# Prints the character advance table of Sources/Evaluation/PlotText.swift: for each printable
# ASCII character and the ellipsis, the larger of its DejaVu Sans and Liberation Sans (Arial
# metrics) advance in thousandths of an em, as headless Chromium measures them on a canvas.
set -euo pipefail
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/m.html" <<'HTML'
<html><body><canvas id=c></canvas><pre id=o></pre><script>
const ctx = document.getElementById('c').getContext('2d');
let out = {};
for (const f of ["DejaVu Sans", "Liberation Sans"]) {
  ctx.font = "1000px '" + f + "'";
  out[f] = [];
  for (let i = 32; i < 127; i++) out[f].push(Math.round(ctx.measureText(String.fromCharCode(i)).width));
  out[f].push(Math.round(ctx.measureText("\u2026").width));
}
document.getElementById('o').textContent = JSON.stringify(out);
</script></body></html>
HTML
"$CHROME" --headless --disable-gpu --no-sandbox --dump-dom "file://$WORK/m.html" 2>/dev/null | grep -o '{.*}' | head -1 |
  python3 -c 'import json, html, sys
d = json.loads(html.unescape(sys.stdin.read()))
print(", ".join(str(max(a, b)) for a, b in zip(d["DejaVu Sans"], d["Liberation Sans"])))'
