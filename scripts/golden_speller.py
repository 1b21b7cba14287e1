#!/usr/bin/env python3
"""Reference n-gram speller: a plain-Python reimplementation of Sources/WordModel/NGramSpeller.swift
(contexts as tuples, dictionaries of counts) for the cross-check in
Tests/WordModelTests/SpellerTests.swift.

    golden_speller.py ORDER kn|wb FITTING_WORDS VOCABULARY QUERIES

Each file holds one word per line. Prints, per query, -log2(p(w) / Z) with
Z = 1 - sum of p over the vocabulary's spellings - p(""); "inf" for in-vocabulary or empty words.
Symbols: a-z and apostrophe, end of word; words start padded with ORDER-1 begin symbols.
Kneser-Ney: one discount per order D = n1 / (n1 + 2 n2) (clamped to [0.05, 0.95]), lower orders
count distinct left extensions except contexts that start with the begin symbol (raw counts).
Witten-Bell: raw counts, p = (c + T p_lower) / (total + T). Both start from the uniform 1/28.
"""
import math
import sys
from collections import defaultdict

ALPHABET = "abcdefghijklmnopqrstuvwxyz'"
END = len(ALPHABET)
BEGIN = END + 1
WIDTH = END + 1


def symbols(word):
    if any(c not in ALPHABET for c in word):
        return None
    return [ALPHABET.index(c) for c in word] + [END]


def fit(words, order, smoothing):
    raw = [defaultdict(lambda: defaultdict(float)) for _ in range(order)]
    for w in words:
        syms = symbols(w)
        if syms is None:
            continue
        history = [BEGIN] * (order - 1) + syms
        for i, s in enumerate(syms):
            context = tuple(history[i:i + order - 1])  # oldest first
            for k in range(order):
                raw[k][context[len(context) - k:] if k else ()][s] += 1
    tables = [raw[k] for k in range(order)]
    if smoothing == "kn":
        for k in range(order - 1):
            cont = defaultdict(lambda: defaultdict(float))
            for context, row in raw[k].items():
                if k > 0 and context[0] == BEGIN:
                    for s, c in row.items():
                        cont[context][s] = c
            for context, row in raw[k + 1].items():
                shorter = context[1:]
                if k > 0 and shorter[0] == BEGIN:
                    continue
                for s, c in row.items():
                    if c > 0:
                        cont[shorter][s] += 1
            tables[k] = cont
    discounts = []
    for t in tables:
        n1 = sum(1 for row in t.values() for c in row.values() if c == 1)
        n2 = sum(1 for row in t.values() for c in row.values() if c == 2)
        d = n1 / (n1 + 2 * n2) if n1 + 2 * n2 > 0 else 0.5
        discounts.append(min(max(d, 0.05), 0.95))
    return tables, discounts


def probability(word, tables, discounts, order, smoothing):
    syms = symbols(word)
    if syms is None:
        return None
    history = [BEGIN] * (order - 1) + syms
    total_p = 1.0
    for i, s in enumerate(syms):
        context = tuple(history[i:i + order - 1])
        p = 1.0 / WIDTH
        for k in range(order):
            row = tables[k].get(context[len(context) - k:] if k else ())
            if row is None:
                break
            c = row.get(s, 0.0)
            total = sum(row.values())
            types = sum(1 for v in row.values() if v > 0)
            if smoothing == "kn":
                d = discounts[k]
                p = (max(c - d, 0.0) + d * types * p) / total
            else:
                p = (c + types * p) / (total + types)
        total_p *= p
    return total_p


def main():
    order, smoothing = int(sys.argv[1]), sys.argv[2]
    read = lambda path: [l.rstrip("\n") for l in open(path, encoding="utf-8") if l.rstrip("\n")]
    words, vocabulary, queries = read(sys.argv[3]), read(sys.argv[4]), read(sys.argv[5])
    tables, discounts = fit(words, order, smoothing)
    prob = lambda w: probability(w, tables, discounts, order, smoothing)
    z = 1.0 - sum(p for p in (prob(v) for v in set(vocabulary)) if p is not None) - prob("")
    for q in queries:
        if q in vocabulary:
            print("inf")
        else:
            print(repr(-math.log2(prob(q) / z)))


if __name__ == "__main__":
    main()
