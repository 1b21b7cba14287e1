#!/usr/bin/env python3
"""Train gensim's Word2Vec on a token-line file written by `lyrics vectors train --tokens-out`
(our normalised stream with "</s>" and "<unk>" spelt out, 10000 tokens per line), with the
benchmark's settings, and save word2vec text/binary files plus timing as JSON.

Only model.train() is timed, matching the Swift trainer's figure (vocabulary building and
file I/O are excluded on both sides). words/s = raw corpus words x epochs / train seconds.
"""
import argparse, json, logging, resource, sys, time
import gensim
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

p = argparse.ArgumentParser()
p.add_argument("tokens")
p.add_argument("out", help="output prefix: writes .vec, .bin and .json")
p.add_argument("--mode", choices=["iterable", "corpus_file"], default="iterable")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--dim", type=int, default=100)
p.add_argument("--window", type=int, default=5)
p.add_argument("--negative", type=int, default=5)
p.add_argument("--sample", type=float, default=1e-3)
p.add_argument("--min-count", type=int, default=5)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()
logging.basicConfig(format="gensim %(asctime)s %(message)s", level=logging.INFO, stream=sys.stderr)

common = dict(sg=1, hs=0, vector_size=a.dim, window=a.window, negative=a.negative, sample=a.sample,
              min_count=a.min_count, workers=a.threads, epochs=a.epochs, seed=a.seed,
              alpha=0.025, min_alpha=0.0001 * 0.025)
model = Word2Vec(**common)
if a.mode == "iterable":
    sentences = LineSentence(a.tokens)
    model.build_vocab(corpus_iterable=sentences)
    raw = model.corpus_total_words
    t0 = time.perf_counter()
    model.train(corpus_iterable=sentences, total_examples=model.corpus_count, epochs=a.epochs)
else:
    model.build_vocab(corpus_file=a.tokens)
    raw = model.corpus_total_words
    t0 = time.perf_counter()
    model.train(corpus_file=a.tokens, total_words=raw, epochs=a.epochs)
secs = time.perf_counter() - t0
model.wv.save_word2vec_format(a.out + ".vec", binary=False)
model.wv.save_word2vec_format(a.out + ".bin", binary=True)
stats = {"gensim": gensim.__version__, "mode": a.mode, "seed": a.seed, "seconds": secs, "rawWords": raw * a.epochs, "tokens": raw,
         "words_per_second": raw * a.epochs / secs, "vocabulary": len(model.wv),
         "peak_rss_kb_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
json.dump(stats, open(a.out + ".json", "w"), indent=1)
print(json.dumps(stats))
