#!/usr/bin/env python3
"""Train fastText's skip-gram (PyPI fasttext-wheel) without subwords (minn = maxn = 0: plain
word2vec) on the token-line file `lyrics vectors train --tokens-out` wrote, with the benchmark's
settings; save word2vec text (.vec) and binary (.bin) files and timing as JSON.

fastText has no separate vocabulary pass in its Python API: the timed call, train_unsupervised,
reads the file and builds the vocabulary too (about a second on the 8.4M-token slice), so its
words/s are slightly pessimistic next to ours and gensim's (training only)."""
import argparse, json, resource, struct, time
import fasttext

p = argparse.ArgumentParser()
p.add_argument("tokens")
p.add_argument("out", help="output prefix: writes .vec, .bin and .json")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--dim", type=int, default=100)
p.add_argument("--window", type=int, default=5)
p.add_argument("--negative", type=int, default=5)
p.add_argument("--sample", type=float, default=1e-3)
p.add_argument("--min-count", type=int, default=5)
p.add_argument("--seed", type=int, default=1)  # fastText's Python API takes no seed; runs differ by thread timing
a = p.parse_args()

t0 = time.perf_counter()
model = fasttext.train_unsupervised(a.tokens, model="skipgram", dim=a.dim, ws=a.window, neg=a.negative, t=a.sample,
                                    minCount=a.min_count, epoch=a.epochs, thread=a.threads, minn=0, maxn=0,
                                    lr=0.025, wordNgrams=1, verbose=0)
secs = time.perf_counter() - t0
words = model.get_words()
raw = sum(1 for line in open(a.tokens) for _ in line.split())
with open(a.out + ".vec", "w") as f, open(a.out + ".bin", "wb") as b:
    f.write("%d %d\n" % (len(words), a.dim))
    b.write(b"%d %d\n" % (len(words), a.dim))
    for w in words:
        v = model.get_word_vector(w)
        f.write(w + " " + " ".join("%.6f" % x for x in v) + "\n")
        b.write(w.encode() + b" " + struct.pack("<%df" % a.dim, *v) + b"\n")
stats = {"fasttext": getattr(fasttext, "__version__", "fasttext-wheel"), "seed": a.seed, "seconds": secs,
         "rawWords": raw * a.epochs, "tokens": raw, "words_per_second": raw * a.epochs / secs, "vocabulary": len(words),
         "peak_rss_kb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
json.dump(stats, open(a.out + ".json", "w"), indent=1)
print(json.dumps(stats))
