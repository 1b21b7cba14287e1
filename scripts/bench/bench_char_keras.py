#!/usr/bin/env python3
"""Keras (tensorflow-cpu) side of scripts/bench/bench-char.sh: trains the same architecture as
`lyrics char train` (embedding -> N LSTM layers -> dense softmax) on the same text and measures
characters per second for training and for one-character-at-a-time generation.

Usage: bench_char_keras.py TEXT_FILE --hidden 384 --layers 2 --embedding 32 --batch 32 \
       --seq-length 64 --steps 60 --gen-chars 300
Prints one JSON object on stdout.
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def build(vocab, args, batch=None, stateful=False):
    layers = [keras.Input(batch_shape=(batch, None)) if batch else keras.Input(shape=(None,)),
              keras.layers.Embedding(vocab, args.embedding)]
    for _ in range(args.layers):
        layers.append(keras.layers.LSTM(args.hidden, return_sequences=True, stateful=stateful))
    layers.append(keras.layers.Dense(vocab))
    return keras.Sequential(layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("text")
    p.add_argument("--hidden", type=int, default=384)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--embedding", type=int, default=32)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seq-length", type=int, default=64)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--gen-chars", type=int, default=300)
    args = p.parse_args()

    data = open(args.text, "rb").read()
    symbols = sorted(set(data))
    lut = np.zeros(256, dtype=np.int32)
    lut[symbols] = np.arange(len(symbols))
    ids = lut[np.frombuffer(data, dtype=np.uint8)]
    V = len(symbols)
    T, B = args.seq_length, args.batch
    n = (len(ids) - 1) // T
    x = ids[: n * T].reshape(n, T)
    y = ids[1: n * T + 1].reshape(n, T)

    model = build(V, args)
    model.compile(optimizer=keras.optimizers.Adam(2e-3, clipnorm=5.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    warm = 5
    model.fit(x[: warm * B], y[: warm * B], batch_size=B, epochs=1, verbose=0, shuffle=False)
    m = args.steps * B
    t0 = time.perf_counter()
    hist = model.fit(x[warm * B: warm * B + m], y[warm * B: warm * B + m], batch_size=B, epochs=1, verbose=0, shuffle=False)
    train_secs = time.perf_counter() - t0
    train_cps = args.steps * B * T / train_secs

    # Generation, one character per call, batch 1, state carried by stateful layers.
    gen = build(V, args, batch=1, stateful=True)
    gen.set_weights(model.get_weights())
    rng = np.random.default_rng(1)

    def sample(logits):
        z = logits - logits.max()
        pr = np.exp(z) / np.exp(z).sum()
        return int(rng.choice(V, p=pr))

    results = {}
    for name, call in [("predict", lambda a: gen.predict(a, verbose=0)),
                       ("call", lambda a: gen(a, training=False).numpy())]:
        c = np.array([[0]], dtype=np.int32)
        for _ in range(5):
            call(c)  # warm-up / tracing
        t0 = time.perf_counter()
        count = args.gen_chars if name == "call" else max(20, args.gen_chars // 10)
        for _ in range(count):
            out = call(c)
            c = np.array([[sample(out[0, -1])]], dtype=np.int32)
        results[name] = count / (time.perf_counter() - t0)

    print(json.dumps({"tensorflow": tf.__version__, "keras": keras.__version__,
                      "threads_intra": tf.config.threading.get_intra_op_parallelism_threads(),
                      "train_chars_per_sec": train_cps, "train_secs": train_secs, "train_steps": args.steps,
                      "final_loss_nats": float(hist.history["loss"][-1]),
                      "gen_chars_per_sec_predict": results["predict"],
                      "gen_chars_per_sec_call": results["call"]}))


if __name__ == "__main__":
    main()
