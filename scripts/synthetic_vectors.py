#!/usr/bin/env python3
"""Writes a synthetic word2vec file for load-time measurements (docs/bring-your-own.md); the
files are large and not committed. N distinct generated words (a, b, ..., z, aa, ...) with
seeded random vectors (normal, sd 0.1):

    python3 scripts/synthetic_vectors.py 1000000 300 /tmp/big-1m-300.bin bin    # word2vec.c binary, 1.2 GB
    python3 scripts/synthetic_vectors.py 75000 100 /tmp/syn-75k-100.vec text    # text, every row formatted
    python3 scripts/synthetic_vectors.py 1000000 300 /tmp/big-1m-300.vec pool   # text, 2.6 GB

`pool` formats 4,096 random rows once and cycles through them (the words stay distinct), which
writes a 2.6 GB text file in seconds; a reader's cost is per value either way.
"""
import sys

import numpy as np


def word(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(97 + r) + s
    return s


def main():
    n, d, out, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    rng = np.random.default_rng(1)
    if mode == "pool":
        pool = [" ".join(f"{x:.5f}" for x in row) for row in rng.standard_normal((4096, d)) * 0.1]
        with open(out, "w") as f:
            f.write(f"{n} {d}\n")
            for start in range(0, n, 10000):
                f.write("".join(f"{word(i)} {pool[i % 4096]}\n" for i in range(start, min(start + 10000, n))))
        return
    with open(out, "wb") as f:
        f.write(f"{n} {d}\n".encode())
        for start in range(0, n, 10000):
            m = min(10000, n - start)
            v = (rng.standard_normal((m, d)) * 0.1).astype("<f4")
            if mode == "bin":
                f.write(b"".join(word(start + i).encode() + b" " + v[i].tobytes() + b"\n" for i in range(m)))
            else:
                f.write("".join(word(start + i) + " " + " ".join(f"{x:.5f}" for x in v[i]) + "\n" for i in range(m)).encode())


if __name__ == "__main__":
    main()
