#!/usr/bin/env python3
"""Reference for the Swift char-LSTM trainer: a plain numpy (float64) implementation of the same
model (embedding -> one LSTM layer, gate order i,f,g,o, forget bias 1 -> dense -> softmax
cross-entropy), the same B-stream truncated-BPTT data order with state carried across chunks, global
gradient-norm clipping and Adam. It writes the initial weights and the expected per-step training
losses to Tests/CharModelTests/Fixtures/golden_char_lstm.safetensors; CharModelTests.GoldenLossTests
loads that file, trains the same steps in Swift and compares the losses.

Run from the package root: python3 scripts/golden_char_lstm.py
"""
import json
import os

import numpy as np
from safetensors.numpy import save_file

TEXT = ("shall i compare thee to a summer's day\n"
        "thou art more lovely and more temperate\n"
        "rough winds do shake the darling buds of may\n"
        "and summer's lease hath all too short a date\n")
B, T, E, H = 3, 7, 5, 10
STEPS = 24          # more than one epoch, so the epoch reset is covered
LR = 0.01
CLIP = 1.0
BETA1, BETA2, EPS = 0.9, 0.999, 1e-8
OUT = os.path.join("Tests", "CharModelTests", "Fixtures", "golden_char_lstm.safetensors")


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    rng = np.random.default_rng(1234)
    symbols = sorted(set(TEXT.encode()))
    V = len(symbols)
    ids = np.array([symbols.index(b) for b in TEXT.encode()])
    params = {
        "embedding.table": rng.uniform(-0.5, 0.5, (V, E)),
        "rnn.0.lstm.Wx": rng.uniform(-0.4, 0.4, (E, 4 * H)),
        "rnn.0.lstm.Wh": rng.uniform(-0.3, 0.3, (H, 4 * H)),
        "rnn.0.lstm.b": np.concatenate([np.zeros(H), np.ones(H), np.zeros(2 * H)]),
        "rnn.1.dense.W": rng.uniform(-0.5, 0.5, (H, V)),
        "rnn.1.dense.b": rng.uniform(-0.1, 0.1, V),
    }
    init = {k: v.astype(np.float32) for k, v in params.items()}
    params = {k: v.astype(np.float64) for k, v in init.items()}   # start from the exact float32 values
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v_ = {k: np.zeros_like(v) for k, v in params.items()}

    L = len(ids) // B
    pos, h0, c0 = 0, np.zeros((B, H)), np.zeros((B, H))
    losses = []
    for step in range(1, STEPS + 1):
        if pos + T >= L:
            pos, h0, c0 = 0, np.zeros((B, H)), np.zeros((B, H))
        x_ids = np.array([[ids[b * L + pos + t] for b in range(B)] for t in range(T)])
        y_ids = np.array([[ids[b * L + pos + t + 1] for b in range(B)] for t in range(T)])
        P = params
        # forward
        emb = P["embedding.table"][x_ids]                     # [T, B, E]
        hs, cs, gates, tcs = [h0], [c0], [], []
        for t in range(T):
            a = emb[t] @ P["rnn.0.lstm.Wx"] + hs[-1] @ P["rnn.0.lstm.Wh"] + P["rnn.0.lstm.b"]
            i, f, g, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
            c = f * cs[-1] + i * g
            tc = np.tanh(c)
            hs.append(o * tc); cs.append(c); gates.append((i, f, g, o)); tcs.append(tc)
        hseq = np.stack(hs[1:])                                # [T, B, H]
        logits = hseq @ P["rnn.1.dense.W"] + P["rnn.1.dense.b"]
        z = logits - logits.max(-1, keepdims=True)
        p = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
        n = T * B
        loss = -np.log(p[np.arange(T)[:, None], np.arange(B)[None, :], y_ids]).sum() / n
        losses.append(loss / np.log(2))                        # bits per character
        # backward
        G = {k: np.zeros_like(v) for k, v in P.items()}
        dlogits = p.copy()
        dlogits[np.arange(T)[:, None], np.arange(B)[None, :], y_ids] -= 1
        dlogits /= n
        G["rnn.1.dense.W"] = np.einsum("tbh,tbv->hv", hseq, dlogits)
        G["rnn.1.dense.b"] = dlogits.sum((0, 1))
        dh_seq = dlogits @ P["rnn.1.dense.W"].T
        dh_next, dc_next = np.zeros((B, H)), np.zeros((B, H))
        demb = np.zeros_like(emb)
        for t in reversed(range(T)):
            i, f, g, o = gates[t]
            dh = dh_seq[t] + dh_next
            dc = dc_next + dh * o * (1 - tcs[t] ** 2)
            da = np.concatenate([dc * g * i * (1 - i), dc * cs[t] * f * (1 - f),
                                 dc * i * (1 - g * g), dh * tcs[t] * o * (1 - o)], axis=1)
            G["rnn.0.lstm.Wx"] += emb[t].T @ da
            G["rnn.0.lstm.Wh"] += hs[t].T @ da
            G["rnn.0.lstm.b"] += da.sum(0)
            demb[t] = da @ P["rnn.0.lstm.Wx"].T
            dh_next = da @ P["rnn.0.lstm.Wh"].T
            dc_next = dc * f
        np.add.at(G["embedding.table"], x_ids, demb)
        # clip + Adam
        norm = np.sqrt(sum((g_ ** 2).sum() for g_ in G.values()))
        if norm > CLIP:
            G = {k: g_ * (CLIP / norm) for k, g_ in G.items()}
        for k in P:
            m[k] = BETA1 * m[k] + (1 - BETA1) * G[k]
            v_[k] = BETA2 * v_[k] + (1 - BETA2) * G[k] ** 2
            mhat = m[k] / (1 - BETA1 ** step)
            vhat = v_[k] / (1 - BETA2 ** step)
            P[k] = P[k] - LR * mhat / (np.sqrt(vhat) + EPS)
        h0, c0 = hs[-1], cs[-1]
        pos += T

    meta = {"text": TEXT, "batch": str(B), "seq_length": str(T), "embedding": str(E), "hidden": str(H),
            "steps": str(STEPS), "lr": repr(LR), "clip": repr(CLIP), "losses_bits": json.dumps(losses)}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    save_file(init, OUT, metadata=meta)
    print("wrote", OUT, "losses (bits/char):", " ".join("%.4f" % x for x in losses))


if __name__ == "__main__":
    main()
