#!/usr/bin/env python3
"""Our skip-gram trainer vs gensim's Word2Vec, same tokens, same settings, same evaluator.

1. `lyrics vectors train` reads and normalises the corpus, trains, and writes the exact token
   stream it trained on (rare words as <unk>, newlines as </s>, 10000 tokens per line) so that
   gensim (scripts/bench/gensim_word2vec.py) builds the same vocabulary from the same tokens.
2. gensim trains on those lines (iterable mode, and corpus_file mode, its fastest path).
3. Both vector files are scored by `lyrics vectors evaluate --json` (same code, same
   restrict-vocab) on the Google analogies and WordSim-353 / SimLex-999 / MEN.
words/s = raw corpus tokens x epochs / wall seconds of training only, for both.
Peak RSS comes from /usr/bin/time -v around each whole process.
"""
import argparse, json, os, platform, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("corpus")
p.add_argument("--lyrics", default=".build-w-rel/release/lyrics")
p.add_argument("--work", default="/tmp/lyrics-bench-word2vec")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--epochs", type=int, default=5)
p.add_argument("--modes", default="iterable,corpus_file", help="gensim modes to run")
p.add_argument("--ours", action="append", default=[],
               help="extra option string for our trainer, one variant per flag, e.g. '--centers-per-batch 4'")
p.add_argument("--markdown-out", help="also write the markdown report here")
p.add_argument("--gensim-results", help="reuse the gensim rows of an earlier results.json (with --modes '')")
a = p.parse_args()
os.makedirs(a.work, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))

def timed(cmd, tag):
    """Runs cmd under /usr/bin/time -v; returns peak RSS in MB."""
    tfile = os.path.join(a.work, tag + ".time")
    log = open(os.path.join(a.work, tag + ".log"), "w")
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, check=True, stdout=log, stderr=log)
    for line in open(tfile):
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    return float("nan")

def evaluate(vectors):
    out = subprocess.run([a.lyrics, "vectors", "evaluate", "--vectors", vectors, "--json"],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    pairs = {os.path.basename(x["file"]).split(".")[0]: x for x in r["pairs"]}
    t = r["analogies"]["total"]
    answered = t["correct"] + t["incorrect"]
    return {"analogy": 100.0 * t["correct"] / max(answered, 1), "answered": answered,
            "questions": answered + t["skipped"], "restrict": r["analogies"]["restrictVocab"],
            "ws353": pairs["wordsim353"]["spearman"], "simlex": pairs["simlex999"]["spearman"],
            "men": pairs["men"]["spearman"], "ws_used": pairs["wordsim353"]["used"]}

def load_avg():
    return " ".join(open("/proc/loadavg").read().split()[:3])

state_before = load_avg()
started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
rows = []
tokens = os.path.join(a.work, "tokens.txt")
variants = a.ours or [""]
for i, extra in enumerate(variants):
    tag = "ours%d" % i
    cmd = [a.lyrics, "vectors", "train", "--corpus", a.corpus, "--part", "all", "--out", os.path.join(a.work, tag),
           "--threads", str(a.threads), "--epochs", str(a.epochs), "--seed", "1",
           "--stats-out", os.path.join(a.work, tag + ".json")] + extra.split()
    if i == 0:
        cmd += ["--tokens-out", tokens]
    rss = timed(cmd, tag)
    st = json.load(open(os.path.join(a.work, tag + ".json")))
    rows.append(dict(name="lyrics (Swift)" + (" " + extra if extra else ""), ours=True, rss=rss, vocab=st["vocabulary"],
                     tokens=st["tokens"], seconds=st["seconds"], wps=st["words_per_second"],
                     **evaluate(os.path.join(a.work, tag + ".bin"))))
if a.gensim_results:
    rows += [dict(r, name=r["name"] + " [earlier run]") for r in json.load(open(a.gensim_results)) if not r["ours"]]
for mode in filter(None, a.modes.split(",")):
    tag = "gensim-" + mode
    rss = timed([sys.executable, os.path.join(here, "gensim_word2vec.py"), tokens, os.path.join(a.work, tag),
                 "--mode", mode, "--threads", str(a.threads), "--epochs", str(a.epochs)], tag)
    st = json.load(open(os.path.join(a.work, tag + ".json")))
    rows.append(dict(name="gensim 4.4.0 (%s)" % mode, ours=False, rss=rss, vocab=st["vocabulary"], tokens=st["tokens"],
                     seconds=st["seconds"], wps=st["words_per_second"], **evaluate(os.path.join(a.work, tag + ".bin"))))

gensim_rows = [r for r in rows if not r["ours"]]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
lines = [
    "### %s" % a.corpus, "",
    "%s; %d tokens (raw corpus words incl. `</s>`), vocabulary %d; sg, dim 100, window 5, negative 5, sample 1e-3, "
    "min-count 5, %d epochs, %d threads. Machine: %d cores (%s); load average before %s, after %s. Started %s."
    % (os.path.basename(a.corpus), rows[0]["tokens"], rows[0]["vocab"], a.epochs, a.threads, os.cpu_count(), cpu,
       state_before, load_avg(), started),
    "",
    "| trainer | train s | words/s | vs " + " | vs ".join(r["name"].split(" ", 2)[2] for r in gensim_rows) +
    " | peak RSS MB | analogy acc % (answered/questions) | WS353 ρ | SimLex ρ | MEN ρ |",
    "|---|---:|---:|" + "---:|" * len(gensim_rows) + "---:|---:|---:|---:|---:|",
]
for r in rows:
    ratios = " | ".join("%.2fx" % (r["wps"] / g["wps"]) for g in gensim_rows)
    lines.append("| %s | %.1f | %s | %s | %.0f | %.2f (%d/%d) | %.3f | %.3f | %.3f |" % (
        r["name"], r["seconds"], format(int(r["wps"]), ","), ratios, r["rss"], r["analogy"], r["answered"],
        r["questions"], r["ws353"], r["simlex"], r["men"]))
lines += ["", "Analogy candidates restricted to the %d most frequent words; WS353 on %d of 353 pairs." %
          (rows[0]["restrict"], rows[0]["ws_used"]), ""]
report = "\n".join(lines)
print(report)
json.dump(rows, open(os.path.join(a.work, "results.json"), "w"), indent=1)
if a.markdown_out:
    with open(a.markdown_out, "a") as f:
        f.write(report + "\n")
