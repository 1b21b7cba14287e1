#!/usr/bin/env python3
"""The comparison at scale: bits/char of char and word models against the training text they
have seen, on the broad test set and on verse-2m's test split. Reads checkpoints (periodic
snapshots of one long run per model), asks `lyrics` for every score, and writes a Markdown
report with a table and an SVG plot.

Usage: scale.py LYRICS_BIN SPELLER_TEXT OUT_PREFIX [--log KIND=TRAIN_STDERR ...] CHECKPOINT...
  (a checkpoint is char or word; its step and plan come from its own metadata; a --log is a
  training run's stderr, whose validation lines give the curve on its validation text)
"""
import json, os, re, subprocess, sys

binary, speller_text, out = sys.argv[1], sys.argv[2], sys.argv[3]
args = sys.argv[4:]
logs, paths = [], []
while args:
    a = args.pop(0)
    if a == "--log":
        kind, path = args.pop(0).split("=", 1)
        logs.append((kind, path))
    else:
        paths.append(a)


def metadata(path):
    with open(path, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        return json.loads(f.read(n))["__metadata__"]


def score(kind, path, corpus, part):
    cmd = [binary, kind, "evaluate", "--model", path, "--corpus", corpus, "--part", part, "--json", "--threads", "1"]
    if kind == "word":
        cmd += ["--speller-text", speller_text]
    r = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(r.stdout)


rows = []
for p in paths:
    m = metadata(p)
    kind = "char" if m["format"] == "lyrics-char-model" else "word"
    state, options = json.loads(m["state"]), json.loads(m["options"])
    step = state["step"]
    tokens = step * options["batch"] * options["sequenceLength"]
    broad = score(kind, p, "corpora/broad-test.txt", "all")
    verse = score(kind, p, "corpora/verse-2m.txt", "test")
    bpc = lambda s: s.get("bits_per_character", s.get("bitsPerCharacter"))
    oov = (broad.get("unknownTokens") or 0) / broad["wordTokens"] if kind == "word" else None
    rows.append(dict(kind=kind, path=os.path.basename(p), step=step, tokens=tokens, minutes=state["elapsedSeconds"] / 60,
                     broad=bpc(broad), verse=bpc(verse), oov=oov))
    print(rows[-1], file=sys.stderr)

# Validation curves from training logs: "step N epoch E: ... valid bpc X"; tokens per step from
# the run's plan (32 streams × 64 characters, or × 35 words).
curve = []
for kind, path in logs:
    per_step = 32 * (64 if kind == "char" else 35)
    for line in open(path, errors="replace"):
        m = re.search(r"step (\d+) epoch \d+: .*valid bpc ([0-9.]+)", line)
        if m:
            curve.append(dict(kind=kind, step=int(m.group(1)), tokens=int(m.group(1)) * per_step, valid=float(m.group(2))))

rows.sort(key=lambda r: (r["kind"], r["step"]))
md = ["| model | checkpoint | steps | training tokens seen | minutes | broad test bits/char | verse-2m test bits/char | OOV share (broad) |",
      "|---|---|---:|---:|---:|---:|---:|---:|"]
for r in rows:
    unit = "chars" if r["kind"] == "char" else "words"
    md.append(f"| {r['kind']} | {r['path']} | {r['step']} | {r['tokens']:,} {unit} | {r['minutes']:.0f} | {r['broad']:.4f} | {r['verse']:.4f} | "
              + (f"{100 * r['oov']:.1f}%" if r["oov"] is not None else "–") + " |")

md += ["", "Validation bits/char during training (the run's own validation text: every 20th validation block of the whole corpus):", "",
       "| model | steps | training tokens seen | valid bits/char |", "|---|---:|---:|---:|"]
for c in curve:
    md.append(f"| {c['kind']} | {c['step']} | {c['tokens']:,} {'chars' if c['kind'] == 'char' else 'words'} | {c['valid']:.4f} |")

# A plain SVG: validation bits/char (lines) and broad-test bits/char (larger dots) against
# training characters seen (word tokens × 4.5 characters per word incl. its space, the corpus
# average, so both share one axis).
W, H, L, B = 640, 380, 70, 50
chars = lambda k, t: (t if k == "char" else t * 4.5) / 1e6
pts = {k: [(chars(k, c["tokens"]), c["valid"]) for c in curve if c["kind"] == k] for k in ("char", "word")}
dots = {k: [(chars(k, r["tokens"]), r["broad"]) for r in rows if r["kind"] == k] for k in ("char", "word")}
allx = [x for v in list(pts.values()) + list(dots.values()) for x, _ in v] or [1]
ally = [y for v in list(pts.values()) + list(dots.values()) for _, y in v] or [1]
x0, x1 = 0, max(allx) * 1.05
y0, y1 = min(ally) - 0.05, max(ally) + 0.05
sx = lambda x: L + (x - x0) / (x1 - x0) * (W - L - 20)
sy = lambda y: H - B - (y - y0) / (y1 - y0) * (H - B - 30)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<text x="{W/2}" y="18" text-anchor="middle">Bits/char against training text seen</text>',
       f'<line x1="{L}" y1="{H-B}" x2="{W-20}" y2="{H-B}" stroke="black"/><line x1="{L}" y1="30" x2="{L}" y2="{H-B}" stroke="black"/>',
       f'<text x="{W/2}" y="{H-12}" text-anchor="middle">millions of training characters seen</text>',
       f'<text x="16" y="{H/2}" transform="rotate(-90 16 {H/2})" text-anchor="middle">bits/char</text>']
for i in range(5):
    x = x0 + (x1 - x0) * i / 4
    y = y0 + (y1 - y0) * i / 4
    svg.append(f'<text x="{sx(x)}" y="{H-B+16}" text-anchor="middle">{x:.0f}</text>')
    svg.append(f'<text x="{L-6}" y="{sy(y)+4}" text-anchor="end">{y:.2f}</text>')
for (k, colour), ly in zip((("char", "#1f77b4"), ("word", "#d62728")), (40, 58)):
    v = pts[k]
    if v:
        svg.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colour, " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in v)))
        svg += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in v]
    svg += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="6" fill="none" stroke="{colour}" stroke-width="2"/>' for x, y in dots[k]]
    svg.append(f'<text x="{W-230}" y="{ly}" fill="{colour}">{k}: valid (line), broad test (ring)</text>')
svg.append("</svg>")
with open(out + ".svg", "w") as f:
    f.write("\n".join(svg) + "\n")
with open(out + ".md", "w") as f:
    f.write("\n".join(md) + "\n")
print("\n".join(md))
