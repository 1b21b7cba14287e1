#!/usr/bin/env python3
"""Golden values for WordVectorsTests (run from the repo root; rewrites the fixtures).

1. batched_update_golden.json: one matrix-form skip-gram negative-sampling step (BatchedUpdate)
   on a tiny case, computed per pair in float64 with the exact logistic:
   every (input row b, output column k) pair contributes g = alpha * (label - sigmoid(in_b . out_k))
   to both rows, all from the parameters before the step; masked pairs contribute nothing.
2. spearman_golden.json: scipy.stats.spearmanr on small samples with ties.
"""
import json, os
import numpy as np
from scipy.stats import spearmanr

here = os.path.join(os.path.dirname(__file__), "..", "Tests", "WordVectorsTests", "Fixtures")
rng = np.random.default_rng(2016)
V, d = 7, 5
syn0 = rng.normal(0, 0.5, (V, d)).astype(np.float32)
syn1 = rng.normal(0, 0.5, (V, d)).astype(np.float32)
# two centers (words 1 and 4); row owners; negatives include a repeat and center 1 itself
inputs = [0, 2, 3, 2, 5, 6]
owner = [0, 0, 0, 1, 1, 1]
outputs = [1, 4, 6, 1, 3, 3]  # centers: 1, 4; negatives: 6, 1, 3, 3
centers = 2
alpha = 0.3

s0 = syn0.astype(np.float64).copy()
s1 = syn1.astype(np.float64).copy()
new0, new1 = s0.copy(), s1.copy()
loss = 0.0
for b, w_in in enumerate(inputs):
    own = owner[b]
    for k, w_out in enumerate(outputs):
        if k == own:
            label = 1.0
        elif k < centers or w_out == outputs[own]:
            continue
        else:
            label = 0.0
        s = s0[w_in] @ s1[w_out]
        sig = 1 / (1 + np.exp(-s))
        loss += -np.log(sig) if label == 1 else -np.log(1 - sig)
        g = alpha * (label - sig)
        new0[w_in] += g * s1[w_out]
        new1[w_out] += g * s0[w_in]

json.dump({
    "dim": d, "syn0": syn0.ravel().tolist(), "syn1": syn1.ravel().tolist(),
    "inputs": inputs, "owner": owner, "outputs": outputs, "centers": centers, "alpha": alpha,
    "expected_syn0": new0.ravel().tolist(), "expected_syn1": new1.ravel().tolist(), "loss": loss,
}, open(os.path.join(here, "batched_update_golden.json"), "w"), indent=1)

cases = []
x = [1, 2, 2, 3, 5, 5, 5, 8, 9, 10]
y = [2.0, 1.0, 4.0, 3.0, 7.0, 6.0, 6.0, 10.0, 8.0, 9.0]
cases.append({"x": x, "y": y, "rho": spearmanr(x, y).statistic})
r = np.random.default_rng(7)
x2 = r.integers(0, 6, 40).astype(float).tolist()
y2 = (np.array(x2) + r.normal(0, 2, 40)).round(1).tolist()
cases.append({"x": x2, "y": y2, "rho": spearmanr(x2, y2).statistic})
json.dump(cases, open(os.path.join(here, "spearman_golden.json"), "w"), indent=1)
print("wrote fixtures to", os.path.normpath(here))
