#!/usr/bin/env python3
"""Shuffle a normalised text file in blocks of 50 lines (seeded), for training on a large corpus.

Training cuts its text into 32 contiguous streams; on a corpus ordered book by book (the
Gutenberg Poetry Corpus) a run shorter than an epoch would otherwise see 32 narrow slices of a
few books at a time and drift with them. Blocks keep each line's local context.
Usage: shuffle_blocks.py IN OUT [SEED]   (text must already be normalised: `lyrics corpus`)
"""
import random, sys

src, dst = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
with open(src, encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
blocks = [lines[i:i + 50] for i in range(0, len(lines), 50)]
random.Random(seed).shuffle(blocks)
tmp = dst + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    for b in blocks:
        f.write("\n".join(b) + "\n")
import os
os.replace(tmp, dst)
print(f"{dst}: {len(blocks)} blocks, {len(lines)} lines", file=sys.stderr)
