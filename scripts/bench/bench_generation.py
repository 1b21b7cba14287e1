#!/usr/bin/env python3
"""Runs `lyrics generation-bench --json` REPEAT times per shipped model and writes the rates
(min/median/max) and the bits/char of the generation path per precision (see
bench-generation.sh). Usage: bench_generation.py LYRICS_BINARY"""
import json
import os
import platform
import statistics
import subprocess
import sys
import datetime

lyrics = sys.argv[1]
repeat = int(os.environ.get("REPEAT", "3"))
streams = os.environ.get("STREAMS", "16")
tokens = os.environ.get("TOKENS", "1000")
out = os.environ.get("OUT", "docs/bench-generation")

runs = {}
for model in ["word", "char"]:
    for r in range(repeat):
        rows = json.loads(subprocess.run([lyrics, "generation-bench", "--model", model, "--streams", streams, "--tokens", tokens,
                                          "--json"], check=True, capture_output=True, text=True).stdout)
        for row in rows:
            runs.setdefault((model, row["precision"]), []).append(row)
        print(f"{model} run {r + 1}/{repeat}", file=sys.stderr)


def mmm(xs):
    return f"{min(xs):,.0f} / {statistics.median(xs):,.0f} / {max(xs):,.0f}"


lines = [f"| model | precision | one stream, tokens/s (min / median / max) | {streams} streams, tokens/s | bits/char (generation path) |",
         "|---|---|---:|---:|---:|"]
table = []
for (model, precision), rows in runs.items():
    one = [r["oneStreamTokensPerSecond"] for r in rows]
    batch = [r["batchTokensPerSecond"] for r in rows]
    bpc = rows[0]["bitsPerCharacter"]
    unit = "words" if model == "word" else "chars"
    lines.append(f"| {model} ({unit}) | {precision} | {mmm(one)} | {mmm(batch)} | {bpc:.4f} |")
    table.append({"model": model, "precision": precision, "oneStream": one, "batch": batch, "streams": int(streams), "bitsPerCharacter": bpc})
stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
json.dump({"when": stamp, "machine": platform.node(), "repeat": repeat, "tokens": int(tokens), "rows": table},
          open(out + ".json", "w"), indent=1)
print("\n".join(lines))
with open(out + ".table.md", "w") as f:
    f.write(f"Measured {stamp}, {repeat} runs, {tokens} tokens per stream per run.\n\n" + "\n".join(lines) + "\n")
