#!/usr/bin/env python3
"""Bits per character of a cosine-loss word model under softmax(kappa * cos) at several kappas
(docs/comparison.md: why its fitted kappa is 0). Each kappa is written into a copy of the
checkpoint's header (`__metadata__["kappa"]`; the tensors and their checksum are untouched),
then scored by `lyrics word evaluate`.

  scripts/kappa-sweep.py --lyrics .build/release/lyrics --model runs/comparison/word-cosine.safetensors \
      --vectors vectors/verse-2m-mc2.bin --part valid 1e-12 1 5 10
"""
import argparse, json, os, struct, subprocess, sys, tempfile

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--lyrics", default="lyrics")
p.add_argument("--model", required=True)
p.add_argument("--vectors", help="the vectors file (default: the one the model names)")
p.add_argument("--part", default="valid")
p.add_argument("kappas", nargs="+")
a = p.parse_args()

with open(a.model, "rb") as f: raw = f.read()
n = struct.unpack("<Q", raw[:8])[0]
header, data = json.loads(raw[8:8 + n]), raw[8 + n:]
if json.loads(header["__metadata__"]["config"])["loss"] != "cosine": sys.exit(f"error: {a.model}: not a cosine-loss word model")
with tempfile.TemporaryDirectory() as tmp:
    for k in a.kappas:
        header["__metadata__"]["kappa"] = str(float(k))
        h = json.dumps(header, separators=(",", ":")).encode()
        h += b" " * (-len(h) % 8)
        path = os.path.join(tmp, "model.safetensors")
        with open(path, "wb") as f: f.write(struct.pack("<Q", len(h)) + h + data)
        cmd = [a.lyrics, "word", "evaluate", "--model", path, "--part", a.part, "--json"] + (["--vectors", a.vectors] if a.vectors else [])
        d = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        print(f"kappa {float(k):g}: {d['bitsPerCharacter']:.4f} bits/char, in-vocabulary words {d['inVocabularyBitsPerCharacter']:.4f}, "
              f"</s> {d['newlineBitsPerCharacter']:.4f}, top-10 hits {100 * d['top10HitRate']:.1f}%")
