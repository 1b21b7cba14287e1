#!/usr/bin/env python3
"""Driver for scripts/bench/bench-char.sh (see there). Ours is timed end to end as two runs of
different length, so process start-up and corpus loading cancel out:
  training:   (steps2 - steps1) * batch * seq / (time2 - time1)
  generation: (len2 - len1) / (time2 - time1), batch 1, one character per model call.
"""
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

corpus, binary = sys.argv[1], sys.argv[2]
H = int(os.environ.get("HIDDEN", 384))
LAYERS = int(os.environ.get("LAYERS", 2))
E = int(os.environ.get("EMBEDDING", 32))
B = int(os.environ.get("BATCH", 32))
T = int(os.environ.get("SEQ", 64))
STEPS = int(os.environ.get("STEPS", 60))
GEN = int(os.environ.get("GEN_CHARS", 5000))
here = os.path.dirname(os.path.abspath(__file__))
tmp = tempfile.mkdtemp(prefix="bench-char-")
text = os.path.join(tmp, "train.txt")
# The normalised training split, from the tool itself (no second normaliser or split here).
subprocess.run([binary, "corpus", "--corpus", corpus, "--part", "train", "--output", text], check=True)


def timed(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


ckpt = os.path.join(tmp, "m.safetensors")
train = [binary, "char", "train", "--corpus", corpus, "--output", ckpt, "--hidden", str(H), "--layers", str(LAYERS),
         "--embedding", str(E), "--batch", str(B), "--seq-length", str(T), "--eval-every", "1000000", "--epochs", "1",
         "--quiet", "--threads", "2"]
s1 = max(5, STEPS // 4)
t1 = timed(train + ["--steps", str(s1)])
t2 = timed(train + ["--steps", str(s1 + STEPS)])
ours_train = STEPS * B * T / (t2 - t1)
gen = [binary, "char", "generate", "--model", ckpt, "--seed", "1", "--temperature", "1", "--threads", "1"]
g1 = timed(gen + ["--length", "100"])
g2 = timed(gen + ["--length", str(100 + GEN)])
ours_gen = GEN / (g2 - g1)

keras_out = subprocess.run([sys.executable, os.path.join(here, "bench_char_keras.py"), text, "--hidden", str(H),
                            "--layers", str(LAYERS), "--embedding", str(E), "--batch", str(B), "--seq-length", str(T),
                            "--steps", str(STEPS), "--gen-chars", "300"], check=True, capture_output=True, text=True).stdout
k = json.loads(keras_out.strip().splitlines()[-1])
kgen_best = max(k["gen_chars_per_sec_predict"], k["gen_chars_per_sec_call"])
r = {"ours_train": ours_train, "keras_train": k["train_chars_per_sec"], "ours_gen": ours_gen,
     "keras_gen_predict": k["gen_chars_per_sec_predict"], "keras_gen_call": k["gen_chars_per_sec_call"]}
print(json.dumps(r))

cpu = platform.processor() or platform.machine()
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except (OSError, StopIteration):
    pass
md = f"""# Char model speed: lyrics vs Keras

Written by `scripts/bench/bench-char.sh` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.
Machine: {os.cpu_count()} cores, {cpu}. TensorFlow {k['tensorflow']}, Keras {k['keras']} (tensorflow-cpu).

Same architecture on both sides: embedding {E} → {LAYERS} x LSTM {H} → dense softmax over the
characters of the normalised verse-2m training split ({os.path.getsize(text)} characters); Adam,
batch {B}, sequence length {T}. Ours: release build, 2 BLAS threads for training; generation with
1 thread. Keras: default thread pools (all cores), `model.fit` for training, a stateful batch-1
copy of the model for generation, one character per call.

| | lyrics (chars/s) | Keras (chars/s) | ratio | target |
|---|---:|---:|---:|---:|
| training ({STEPS} steps) | {ours_train:,.0f} | {k['train_chars_per_sec']:,.0f} | {ours_train / k['train_chars_per_sec']:.1f}x | ≥ 2x |
| generation vs `model(x)` call | {ours_gen:,.0f} | {k['gen_chars_per_sec_call']:,.0f} | {ours_gen / k['gen_chars_per_sec_call']:.1f}x | ≥ 20x |
| generation vs `model.predict(x)` | {ours_gen:,.0f} | {k['gen_chars_per_sec_predict']:,.0f} | {ours_gen / k['gen_chars_per_sec_predict']:.1f}x | |

`model.predict` per character is what the usual Keras char-RNN notebook does; the direct call
is the fastest plain-Keras way and the fair baseline (the generation ratio target is judged
against it, i.e. against {kgen_best:,.0f} chars/s).
"""
os.makedirs("docs", exist_ok=True)
# Keep the hand-written quality section (the 20-minute run) below the marker, if there is one.
marker = "<!-- quality -->"
kept = ""
if os.path.exists("docs/bench-char.md"):
    old = open("docs/bench-char.md").read()
    if marker in old:
        kept = "\n" + old[old.index(marker):]
with open("docs/bench-char.md", "w") as f:
    f.write(md + kept)
print(md)
