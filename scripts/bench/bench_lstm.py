#!/usr/bin/env python3
"""Driver for scripts/bench/bench-lstm.sh (see there): LSTM training speed, ours against PyTorch,
same models, same text, same plan, in one run, taking turns on the machine.

Ours is timed end to end as two runs of different length, so start-up and corpus loading cancel:
rate = (steps2 - steps1) * batch * seq / (time2 - time1). PyTorch is timed in-process after
warm-up steps (torch_lstm.py). Every configuration is repeated REPEAT times, the sides
interleaved within a repeat so drift of the machine hits both; the table gives min/median/max
and the ratio of medians.

Environment: REPEAT (3), CONFIGS (comma list of names below; default all), THREADS ("1,2"),
VARIANTS (comma list of ours-auto, ours-exact (word models with the exact normaliser), ours-fp32,
torch, torch-bf16; default all but ours-fp32),
OUT (docs/bench-lstm).
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

binary = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
REPEAT = int(os.environ.get("REPEAT", 3))
THREADS = [int(t) for t in os.environ.get("THREADS", "1,2").split(",")]
OUT = os.environ.get("OUT", "docs/bench-lstm")
tmp = tempfile.mkdtemp(prefix="bench-lstm-")

# name: (kind, hidden, vectors, ours steps (short, long), torch steps)
CONFIGS = {
    "char-2x384": ("char", 384, None, (10, 50), 40),
    "char-2x768": ("char", 768, None, (5, 20), 15),
    "word-13.6k": ("word", 384, os.path.join(tmp, "mc2.bin"), (10, 40), 30),
    "word-46.5k": ("word", 384, "models/word-vectors.bin", (10, 40), 30),
}
chosen = [c for c in os.environ.get("CONFIGS", ",".join(CONFIGS)).split(",") if c]
variants = os.environ.get("VARIANTS", "ours-auto,ours-exact,torch,torch-bf16").split(",")

corpus = "corpora/verse-2m.txt"
text = os.path.join(tmp, "train.txt")
# The normalised training split, from the tool itself (no second normaliser or split here).
subprocess.run([binary, "corpus", "--corpus", corpus, "--part", "train", "--output", text], check=True)
if "word-13.6k" in chosen:
    # The pipeline's min-count-2 vectors of verse-2m's training split (13.6k words).
    subprocess.run([binary, "vectors", "train", "--corpus", corpus, "--part", "train", "--min-count", "2",
                    "--out", os.path.join(tmp, "mc2"), "--threads", "1", "--seed", "1"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def plan(kind):
    return (64, 3e-3) if kind == "char" else (35, 2e-3)


def timed(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t0


def ours(name, threads, precision, exact=False):
    kind, hidden, vectors, (s1, s2), _ = CONFIGS[name]
    seq, _ = plan(kind)
    out = os.path.join(tmp, f"{name}.safetensors")
    cmd = [binary, kind, "train", "--corpus", corpus, "--output", out, "--hidden", str(hidden),
           "--eval-every", "1000000", "--epochs", "1", "--quiet", "--threads", str(threads), "--precision", precision]
    if kind == "word":
        cmd += ["--vectors", vectors, "--loss", "vmf", "--fine-tune-vectors"] + (["--negatives", "0"] if exact else [])
    t1 = timed(cmd + ["--steps", str(s1)])
    t2 = timed(cmd + ["--steps", str(s2)])
    return (s2 - s1) * 32 * seq / (t2 - t1)


def torch_side(name, threads, bf16):
    kind, hidden, vectors, _, steps = CONFIGS[name]
    seq, lr = plan(kind)
    cmd = [sys.executable, os.path.join(here, "torch_lstm.py"), kind, text] + ([vectors] if vectors else [])
    cmd += ["--hidden", str(hidden), "--seq-length", str(seq), "--lr", str(lr), "--threads", str(threads),
            "--steps", str(steps)] + (["--bf16"] if bf16 else [])
    r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    return r["rate"], r["torch"]


rates = {}  # (config, threads, variant) -> [rates]
torch_version = "?"
started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
for rep in range(REPEAT):
    for name in chosen:
        for t in THREADS:
            for v in variants:
                if v == "ours-auto":
                    r = ours(name, t, "auto")
                elif v == "ours-fp32":
                    r = ours(name, t, "fp32")
                elif v == "ours-exact":
                    if CONFIGS[name][0] != "word":
                        continue
                    r = ours(name, t, "auto", exact=True)
                else:
                    r, torch_version = torch_side(name, t, v == "torch-bf16")
                rates.setdefault((name, t, v), []).append(r)
                print(f"repeat {rep + 1}/{REPEAT} {name} threads {t} {v}: {r:,.0f}/s", file=sys.stderr, flush=True)

cpu = platform.processor() or platform.machine()
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except (OSError, StopIteration):
    pass
flags = open("/proc/cpuinfo").read()
bf16_cpu = "avx512_bf16" in flags


def cell(xs):
    return f"{statistics.median(xs):,.0f} ({min(xs):,.0f}-{max(xs):,.0f})"


rows = []
for name in chosen:
    kind = CONFIGS[name][0]
    unit = "chars/s" if kind == "char" else "words/s"
    for t in THREADS:
        got = {v: rates.get((name, t, v)) for v in variants}
        med = {v: statistics.median(x) for v, x in got.items() if x}
        ratio = lambda a, b: f"{med[a] / med[b]:.2f}x" if a in med and b in med else "–"
        rows.append(f"| {name} | {t} | {unit} | " + " | ".join(cell(got[v]) if got[v] else "–" for v in variants)
                    + f" | {ratio('ours-auto', 'torch')} | {ratio('ours-auto', 'torch-bf16')} |")
header = "| config | threads | unit | " + " | ".join(variants) + " | ours/torch | ours/torch-bf16 |"
sep = "|---|---:|---|" + "---:|" * (len(variants) + 2)
md = f"""# LSTM training speed: lyrics vs PyTorch

Written by `scripts/bench/bench-lstm.sh` (started {started}, {REPEAT} repeats; median (min-max)).
Machine: {os.cpu_count()} cores, {cpu}, AVX512-BF16 {"yes" if bf16_cpu else "no"}. PyTorch {torch_version} (CPU).

Same models and plan on both sides: char = embedding 32 → 2 × LSTM H → dense softmax (32 streams
× 64 chars, Adam 3e-3, clip 5); word = fine-tuned input vectors → 2 × LSTM 384 → dropout 0.25 →
dense to the vector dimension, logits y·Êᵀ over the whole vocabulary, cross-entropy (32 × 35,
Adam 2e-3, clip 5). verse-2m's training split. `ours-auto` is the default (`--precision auto`:
bf16 products with fp32 sums, weights and optimizer on CPUs with AVX512-BF16), `ours-fp32` the
fp32 path (OpenBLAS), `ours-exact` the word model with the exact normaliser in training
(`--negatives 0`; the default samples 2048 words per step), `torch` PyTorch's default fp32 (oneDNN's LSTM), `torch-bf16` under
`torch.autocast("cpu", torch.bfloat16)`. Ratios are of medians.

{header}
{sep}
""" + "\n".join(rows) + "\n"
os.makedirs(os.path.dirname(OUT) or ".", exist_ok=True)
with open(OUT + ".json", "w") as f:
    json.dump({"started": started, "repeat": REPEAT, "cpu": cpu, "torch": torch_version,
               "rates": [{"config": c, "threads": t, "variant": v, "rates": x} for (c, t, v), x in rates.items()]}, f, indent=1)
marker = "<!-- notes -->"
kept = ""
if os.path.exists(OUT + ".md"):
    old = open(OUT + ".md").read()
    if marker in old:
        kept = "\n" + old[old.index(marker):]
with open(OUT + ".md", "w") as f:
    f.write(md + kept)
print(md)
