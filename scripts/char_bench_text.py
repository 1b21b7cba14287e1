#!/usr/bin/env python3
"""Writes the training split of a corpus, normalised as `lyrics` does (LyricsCore.TextNormalizer:
lowercase, accents stripped, everything but a-z, apostrophe, space and newline -> space, spaces
collapsed and trimmed, empty lines dropped; CorpusSplit: 50-line blocks, block k % 20 == 18 valid,
19 test, rest train), so the Keras benchmark reads the same characters as `lyrics char train`.

Usage: char_bench_text.py CORPUS OUT
"""
import re
import sys
import unicodedata


def fold(ch):
    if ch.isascii():
        return ch.lower()
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Mc"):
        return ""
    d = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in d if c.isascii())
    rest = [c for c in d if not c.isascii()]
    if base and all(unicodedata.category(c) == "Mn" for c in rest):
        return base.lower()
    return " "


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    lines = []
    for raw in text.split("\n"):
        s = "".join(fold(c) for c in raw)
        s = re.sub(r"[^a-z' ]", " ", s)
        s = re.sub(r" +", " ", s).strip()
        if s:
            lines.append(s)
    train = [l for i, l in enumerate(lines) if (i // 50) % 20 < 18]
    with open(sys.argv[2], "w") as f:
        f.write("".join(l + "\n" for l in train))


if __name__ == "__main__":
    main()
