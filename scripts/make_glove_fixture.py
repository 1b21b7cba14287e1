#!/usr/bin/env python3
"""Writes Tests/WordVectorsTests/Fixtures/glove-tiny.txt: a GloVe-format file (no header; "word v1 ... v5"
per line) over the words of the opening of Sonnet 18, plus spellings the loader must map or drop
("The" after "the", "Summer's", "été", "<s>", "new-york", ","). Values are seeded random numbers
printed with 6 decimals, as GloVe does.

    python3 scripts/make_glove_fixture.py
"""
import os
import random

WORDS = ("the and thou shall i compare thee to a summer's day art more lovely temperate rough winds do shake darling "
         "buds of may lease hath all too short date").split()
EXTRA = ["The", "Summer's", "été", "<s>", "new-york", ","]

rng = random.Random(18)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = os.path.join(root, "Tests", "WordVectorsTests", "Fixtures", "glove-tiny.txt")
with open(path, "w", encoding="utf-8") as f:
    for w in WORDS[:3] + EXTRA + WORDS[3:]:
        f.write(w + " " + " ".join(f"{rng.uniform(-1, 1):.6f}" for _ in range(5)) + "\n")
print(f"wrote {path}")
