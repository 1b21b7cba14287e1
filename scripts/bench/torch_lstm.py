#!/usr/bin/env python3
"""PyTorch side of scripts/bench/bench-lstm.sh: the models `lyrics char train` and
`lyrics word train --loss vmf` build, written as a PyTorch user would, trained on the same text
with the same plan (Adam, global-norm clip 5, carried state detached between chunks), timed
after warm-up steps. Prints one JSON object on stdout.

  char: Embedding(V, E) -> LSTM(E, H, layers) -> Linear(H, V) -> cross-entropy
  word: Embedding(V, D) initialised from the vectors and fine-tuned -> LSTM(D, H, layers)
        -> dropout -> Linear(H, D) = y; logits y . U^T over the whole vocabulary (U: the unit
        vectors, fixed) -> cross-entropy (the vMF reading of the word model)

Usage: torch_lstm.py char TEXT --hidden 384 ... | torch_lstm.py word TEXT VECTORS.bin ...
"""
import argparse
import contextlib
import json
import time

import numpy as np
import torch
import torch.nn as nn


def read_word2vec_bin(path):
    with open(path, "rb") as f:
        v, d = map(int, f.readline().split())
        words, vecs = [], np.empty((v, d), dtype=np.float32)
        for i in range(v):
            w = bytearray()
            while True:
                c = f.read(1)
                if c == b" ":
                    break
                if c != b"\n":
                    w += c
            words.append(w.decode("utf-8", "replace"))
            vecs[i] = np.frombuffer(f.read(4 * d), dtype=np.float32)
    return words, vecs


class CharNet(nn.Module):
    def __init__(self, v, e, h, layers):
        super().__init__()
        self.emb = nn.Embedding(v, e)
        self.rnn = nn.LSTM(e, h, layers)
        self.out = nn.Linear(h, v)

    def forward(self, x, state):
        y, state = self.rnn(self.emb(x), state)
        return self.out(y), state


class WordNet(nn.Module):
    def __init__(self, vectors, h, layers, dropout):
        super().__init__()
        v, d = vectors.shape
        self.emb = nn.Embedding.from_pretrained(torch.from_numpy(vectors), freeze=False)
        self.rnn = nn.LSTM(d, h, layers, dropout=dropout if layers > 1 else 0)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(h, d)
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        self.register_buffer("unit", torch.from_numpy(unit))

    def forward(self, x, state):
        y, state = self.rnn(self.emb(x), state)
        return self.out(self.drop(y)) @ self.unit.T, state


def main():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["char", "word"])
    p.add_argument("text")
    p.add_argument("vectors", nargs="?")
    p.add_argument("--hidden", type=int, default=384)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embedding", type=int, default=32)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seq-length", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--dropout", type=float, default=0.25)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup-steps", type=int, default=5)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--bf16", action="store_true", help="torch.autocast(cpu, bfloat16) around forward and loss")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)

    if a.kind == "char":
        data = np.frombuffer(open(a.text, "rb").read(), dtype=np.uint8)
        symbols = np.unique(data)
        lut = np.zeros(256, dtype=np.int64)
        lut[symbols] = np.arange(len(symbols))
        ids = lut[data]
        model = CharNet(len(symbols), a.embedding, a.hidden, a.layers)
        unit_name = "chars"
    else:
        words, vectors = read_word2vec_bin(a.vectors)
        index = {w: i for i, w in enumerate(words)}
        unk, eos = index.get("<unk>", 0), index.get("</s>", 0)
        ids = []
        for line in open(a.text, encoding="utf-8"):
            ids.extend(index.get(w, unk) for w in line.split())
            ids.append(eos)
        ids = np.array(ids, dtype=np.int64)
        model = WordNet(vectors, a.hidden, a.layers, a.dropout)
        unit_name = "words"

    B, T = a.batch, a.seq_length
    L = len(ids) // B
    streams = torch.from_numpy(ids[: B * L].reshape(B, L).T.copy())  # [L, B], time-major
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    cast = torch.autocast("cpu", dtype=torch.bfloat16) if a.bf16 else contextlib.nullcontext()
    state, pos = None, 0

    def step():
        nonlocal state, pos
        if pos + T + 1 > L:
            pos, state = 0, None
        x, y = streams[pos:pos + T], streams[pos + 1:pos + T + 1]
        pos += T
        if state is not None:
            state = tuple(s.detach() for s in state)
        with cast:
            logits, state = model(x, state)
            loss = loss_fn(logits.reshape(-1, logits.shape[-1]).float(), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        return loss.item()

    model.train()
    for _ in range(a.warmup_steps):
        step()
    t0 = time.perf_counter()
    last = 0.0
    for _ in range(a.steps):
        last = step()
    dt = time.perf_counter() - t0
    print(json.dumps({"torch": torch.__version__, "kind": a.kind, "threads": a.threads, "bf16": a.bf16,
                      "rate": a.steps * B * T / dt, "unit": unit_name, "seconds": dt, "last_loss": last}))


if __name__ == "__main__":
    main()
