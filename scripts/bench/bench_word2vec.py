#!/usr/bin/env python3
"""Our skip-gram trainer vs gensim's Word2Vec: same tokens, same settings, same evaluator, several seeds.

1. The corpus, or with --lines N its first N lines (written to WORK/slice-N.txt; the same text as
   `zcat corpus | head -n N`), is read by `lyrics vectors train`, which also writes the exact
   token stream it trains on (rare words as <unk>, newlines as </s>, 10000 tokens per line), so
   gensim (scripts/bench/gensim_word2vec.py) builds the same vocabulary from the same tokens.
2. For every seed, every setting runs once, one after another (never two at once; the whole
   benchmark holds /tmp/lyrics-bench.lock, which the other benchmarks take too): ours with its
   defaults, each --ours variant, then gensim in each --modes mode (iterable = its usual
   `Word2Vec(sentences)`; corpus_file optional).
3. Every vector file is scored by `lyrics vectors evaluate --json` (one evaluator for both, with
   gensim's conventions: analogies among the 30,000 most frequent words, word pairs among all).
words/s = raw corpus tokens x epochs / wall seconds of training only (both sides). Peak RSS:
/usr/bin/time -v around each whole process. Machine state per run: load average before and
after, CPU seconds used by other processes during the run (/proc/stat busy time minus ours) and
the processes that used more than 1 s of it.

    scripts/bench/bench-word2vec.sh CORPUS [--lines N] [--seeds 1,2,3] [--modes iterable,corpus_file]
    scripts/bench/bench_word2vec.py --readme-table WORK/results.json [more results.json]
"""
import argparse, fcntl, gzip, json, os, platform, shlex, statistics, subprocess, sys, time

TARGET = dict(speed=3.0, accuracy_points=0.5)  # vs gensim iterable: >= 3x words/s, <= 0.5 points below, RSS <= gensim's
TICK = os.sysconf("SC_CLK_TCK")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def cpu_busy_seconds():
    """Busy CPU seconds of the whole machine so far (all cores; /proc/stat)."""
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    idle = f[3] + (f[4] if len(f) > 4 else 0)
    return (sum(f[:8]) - idle) / TICK


def process_ticks():
    out = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            s = open("/proc/%s/stat" % pid).read()
        except OSError:
            continue
        comm, rest = s[s.index("(") + 1:s.rindex(")")], s[s.rindex(")") + 2:].split()
        out[int(pid)] = (comm, (int(rest[11]) + int(rest[12])) / TICK)
    return out


def others(before, after):
    """Processes other than this benchmark that used more than 1 CPU second between the snapshots."""
    me = os.getpid()
    used = [(t - before.get(pid, (c, 0))[1], "%s[%d]" % (c, pid)) for pid, (c, t) in after.items() if pid != me]
    return ["%s %.0fs" % (name, secs) for secs, name in sorted(used, reverse=True) if secs > 1][:5]


def load_avg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def timed(cmd, tag, work):
    """Runs cmd under /usr/bin/time -v; returns peak RSS (MB) and the machine state around it."""
    tfile = os.path.join(work, tag + ".time")
    log("+", " ".join(shlex.quote(c) for c in cmd))
    state = dict(load_before=load_avg())
    busy0, procs0 = cpu_busy_seconds(), process_ticks()
    with open(os.path.join(work, tag + ".log"), "w") as out:
        subprocess.run(["/usr/bin/time", "-v", "-o", tfile] + cmd, check=True, stdout=out, stderr=out)
    busy, procs = cpu_busy_seconds() - busy0, process_ticks()
    t = {k.strip(): v.strip() for k, v in (l.split(": ", 1) for l in open(tfile) if ": " in l)}
    own = float(t["User time (seconds)"]) + float(t["System time (seconds)"])
    wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"))))
    state.update(wall_s=round(wall, 1), load_after=load_avg(), other_cpu_s=round(max(0.0, busy - own), 1), others=others(procs0, procs))
    return int(t["Maximum resident set size (kbytes)"]) / 1024, state


def evaluate(lyrics, vectors):
    r = json.loads(subprocess.run([lyrics, "vectors", "evaluate", "--vectors", vectors, "--json"],
                                  check=True, capture_output=True, text=True).stdout)
    pairs = {os.path.basename(x["file"]).split(".")[0]: x for x in r["pairs"]}
    t = r["analogies"]["total"]
    answered = t["correct"] + t["incorrect"]
    return {"analogy": 100.0 * t["correct"] / max(answered, 1), "answered": answered,
            "questions": answered + t["skipped"], "analogy_cutoff": r["analogies"]["restrictVocab"],
            "pairs_cutoff": pairs["wordsim353"]["restrictVocab"],
            "ws353": pairs["wordsim353"]["spearman"], "simlex": pairs["simlex999"]["spearman"],
            "men": pairs["men"]["spearman"], "ws_used": pairs["wordsim353"]["used"]}


def slice_corpus(corpus, lines, work):
    """The first `lines` lines of the corpus (gzip or text) as WORK/slice-N.txt."""
    path = os.path.join(work, "slice-%d.txt" % lines)
    opener = gzip.open if corpus.endswith(".gz") else open
    with opener(corpus, "rb") as src, open(path + ".part", "wb") as dst:
        for i, line in enumerate(src):
            if i == lines:
                break
            dst.write(line)
    os.replace(path + ".part", path)
    return path


def summarize(runs, key):
    v = [r[key] for r in runs]
    return {"mean": statistics.fmean(v), "min": min(v), "max": max(v),
            "sd": statistics.stdev(v) if len(v) > 1 else 0.0}


def target_checks(settings):
    """The target, judged on means over seeds: our default setting vs gensim iterable.
    Returns [(name, met, text)], or None when gensim iterable was not run."""
    ours = settings[0]["summary"]
    g = next((s["summary"] for s in settings if s["name"] == "gensim (iterable)"), None)
    if g is None:
        return None
    speed = ours["wps"]["mean"] / g["wps"]["mean"]
    drop = g["analogy"]["mean"] - ours["analogy"]["mean"]
    return [("speed", speed >= TARGET["speed"], "%.2fx gensim iterable (target >= %.1fx)" % (speed, TARGET["speed"])),
            ("accuracy", drop <= TARGET["accuracy_points"], "%.2f%% vs %.2f%%, %+.2f points (target >= -%.1f)" % (
                ours["analogy"]["mean"], g["analogy"]["mean"], -drop, TARGET["accuracy_points"])),
            ("memory", ours["rss"]["mean"] <= g["rss"]["mean"], "%.0f MB vs %.0f MB (target <= gensim's)" % (
                ours["rss"]["mean"], g["rss"]["mean"]))]


def verdict(settings):
    checks = target_checks(settings)
    if checks is None:
        return "No verdict: gensim iterable was not run."
    head = "**Target %s**" % ("met" if all(ok for _, ok, _ in checks) else "missed")
    return head + " (default setting vs gensim iterable, means over seeds): " + "; ".join(
        "%s %s: %s" % (name, "met" if ok else "MISSED", text) for name, ok, text in checks) + "."


def corpus_label(res):
    name = os.path.basename(res["corpus"])
    part = ", first %s lines" % format(res["lines"], ",") if res["lines"] else ""
    return "%s%s (%.1fM tokens)" % (name, part, res["tokens"] / 1e6)


def fmt_range(s, f):
    return "%s (%s–%s)" % (f(s["mean"]), f(s["min"]), f(s["max"]))


def report(res):
    settings, base = res["settings"], next((s for s in res["settings"] if s["name"] == "gensim (iterable)"), None)
    ev = settings[0]["runs"][0]
    lines = [
        "### %s" % corpus_label(res), "",
        "%d tokens (raw words incl. `</s>`), vocabulary %d; sg, dim 100, window 5, negative 5, sample 1e-3, "
        "min-count 5, epochs %d, %d threads; seeds %s, each setting once per seed, one run at a time." % (
            res["tokens"], res["vocabulary"], res["epochs"], res["threads"], ",".join(map(str, res["seeds"]))),
        "Machine: %d cores (%s); load average before %s, after %s; %s. Started %s, took %.1f min." % (
            res["machine"]["cores"], res["machine"]["cpu"], res["load_before"], res["load_after"],
            res["machine"]["other_cpu"], res["started"], res["minutes"]),
        "Command: `%s` (lyrics at commit %s, gensim %s)." % (res["command"], res["commit"], res["gensim"]), "",
        "Each cell: mean over seeds (min–max).", "",
        "| setting | words/s | vs gensim iterable | train s | peak RSS MB | analogy % | WS353 ρ | SimLex ρ | MEN ρ |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in settings:
        m = s["summary"]
        ratio = "%.2fx" % (m["wps"]["mean"] / base["summary"]["wps"]["mean"]) if base else "–"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            s["name"], fmt_range(m["wps"], lambda x: format(int(round(x)), ",")), ratio,
            fmt_range(m["seconds"], lambda x: "%.1f" % x), fmt_range(m["rss"], lambda x: "%.0f" % x),
            fmt_range(m["analogy"], lambda x: "%.2f" % x), *(fmt_range(m[k], lambda x: "%.3f" % x) for k in ("ws353", "simlex", "men"))))
    lines += ["", verdict(settings), "",
              "Analogies (our first run): %d of %d questions answered, candidates among the %d most frequent words; word pairs among "
              "the %d most frequent (all; WS353 on %d of 353 pairs)." % (
                  ev["answered"], ev["questions"], ev["analogy_cutoff"], ev["pairs_cutoff"], ev["ws_used"]), ""]
    return "\n".join(lines)


def readme_table(paths):
    """The small table the README carries, from one or more results.json files, and each verdict."""
    results = [json.load(open(p)) for p in paths]
    lines = ["| corpus | trainer | words/s (vs gensim) | analogy % | WS353 ρ | peak RSS MB |", "|---|---|---:|---:|---:|---:|"]
    verdicts = []
    for p, res in zip(paths, results):
        base = next((s["summary"] for s in res["settings"] if s["name"] == "gensim (iterable)"), None)
        if base is None:
            sys.exit("error: %s: no gensim (iterable) setting to compare with" % p)
        for s in res["settings"]:
            if s["name"] in ("lyrics (default)", "gensim (iterable)"):
                m = s["summary"]
                lines.append("| %s | %s | %s (%.2fx) | %.2f | %.3f | %.0f |" % (
                    corpus_label(res), s["name"], format(int(round(m["wps"]["mean"])), ","),
                    m["wps"]["mean"] / base["wps"]["mean"], m["analogy"]["mean"], m["ws353"]["mean"], m["rss"]["mean"]))
        checks = target_checks(res["settings"])
        verdicts.append("%.1fM tokens: %s" % (res["tokens"] / 1e6, ", ".join(
            "%s %s" % (name, "met" if ok else "missed") for name, ok, _ in checks)))
    return "\n".join(lines) + "\n\nMeans of %s seeds, %s threads, %s epochs; target (>= 3x gensim iterable, analogies within 0.5 points, " \
        "peak RSS <= gensim's): %s. Spread, machine state and method: [docs/bench-word2vec.md](docs/bench-word2vec.md)." % (
            "/".join(sorted({str(len(r["seeds"])) for r in results})), "/".join(sorted({str(r["threads"]) for r in results})),
            "/".join(sorted({str(r["epochs"]) for r in results})), "; ".join(verdicts))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", nargs="?")
    p.add_argument("--lines", type=int, help="use only the corpus's first N lines (1000000: 8.4M tokens of the Gutenberg corpus)")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--lyrics", default=".build-w-rel/release/lyrics")
    p.add_argument("--work", default="/tmp/lyrics-bench-word2vec")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--modes", default="iterable,fasttext",
                   help="peers: gensim modes and fastText, e.g. iterable,corpus_file,fasttext (default iterable,fasttext)")
    p.add_argument("--ours", action="append", default=[],
                   help="extra option string for our trainer, one more setting per flag, e.g. '--centers-per-batch 4'")
    p.add_argument("--markdown-out", help="also append the markdown report to this file")
    p.add_argument("--readme-table", nargs="+", metavar="RESULTS_JSON", help="print the README's table from results and exit")
    a = p.parse_args()
    if a.readme_table:
        return print(readme_table(a.readme_table))
    if not a.corpus:
        p.error("the corpus is required")
    seeds = [int(s) for s in a.seeds.split(",")]
    os.makedirs(a.work, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    lock = open("/tmp/lyrics-bench.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log("waiting for /tmp/lyrics-bench.lock (another benchmark is running)")
        fcntl.flock(lock, fcntl.LOCK_EX)
    t0, started, load_before = time.time(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load_avg()
    corpus = slice_corpus(a.corpus, a.lines, a.work) if a.lines else a.corpus
    tokens = os.path.join(a.work, "tokens.txt")
    settings = [dict(name="lyrics (default)", ours=True, extra="", runs=[])]
    settings += [dict(name="lyrics " + x, ours=True, extra=x, runs=[]) for x in a.ours]
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=here).stdout.strip()
    settings += [dict(name="fastText (skipgram, no subwords)" if m == "fasttext" else "gensim (%s)" % m, ours=False, mode=m, runs=[])
                 for m in filter(None, a.modes.split(","))]
    first = True
    for seed in seeds:
        for i, s in enumerate(settings):
            tag = "%s-seed%d" % ("ours%d" % i if s["ours"] else "gensim-" + s["mode"], seed)
            out = os.path.join(a.work, tag)
            if s["ours"]:
                cmd = [a.lyrics, "vectors", "train", "--corpus", corpus, "--part", "all", "--out", out, "--threads",
                       str(a.threads), "--epochs", str(a.epochs), "--seed", str(seed), "--stats-out", out + ".json"]
                cmd += s["extra"].split() + (["--tokens-out", tokens] if first else [])
                first = False
            elif s["mode"] == "fasttext":
                cmd = [sys.executable, os.path.join(here, "fasttext_word2vec.py"), tokens, out,
                       "--threads", str(a.threads), "--epochs", str(a.epochs), "--seed", str(seed)]
            else:
                cmd = [sys.executable, os.path.join(here, "gensim_word2vec.py"), tokens, out, "--mode", s["mode"],
                       "--threads", str(a.threads), "--epochs", str(a.epochs), "--seed", str(seed)]
            rss, state = timed(cmd, tag, a.work)
            st = json.load(open(out + ".json"))
            run = dict(seed=seed, gensim=st.get("gensim"), rss=rss, seconds=st["seconds"], wps=st["words_per_second"], tokens=st["tokens"],
                       vocabulary=st["vocabulary"], **state, **evaluate(a.lyrics, out + ".bin"))
            s["runs"].append(run)
            log("%s seed %d: %.0f words/s, %.2f%% analogies, WS353 %.3f, %.0f MB, other CPU %.1fs %s" % (
                s["name"], seed, run["wps"], run["analogy"], run["ws353"], rss, state["other_cpu_s"], " ".join(state["others"])))
    for s in settings:
        s["summary"] = {k: summarize(s["runs"], k) for k in ("wps", "seconds", "rss", "analogy", "ws353", "simlex", "men")}
    runs = [r for s in settings for r in s["runs"]]
    other = max(r["other_cpu_s"] for r in runs)
    seen = sorted({o.split("[")[0] for r in runs for o in r["others"]})
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    res = dict(corpus=a.corpus, lines=a.lines, tokens=runs[0]["tokens"], vocabulary=runs[0]["vocabulary"], seeds=seeds,
               epochs=a.epochs, threads=a.threads, started=started, minutes=(time.time() - t0) / 60,
               load_before=load_before, load_after=load_avg(), commit=commit,
               gensim=next((r["gensim"] for r in runs if r.get("gensim")), None),
               command=os.environ.get("BENCH_COMMAND") or " ".join(shlex.quote(x) for x in [os.path.relpath(sys.argv[0])] + sys.argv[1:]),
               machine=dict(cores=os.cpu_count(), cpu=cpu, other_cpu="other processes used at most %.0f CPU s during one "
                            "run%s" % (other, " (%s)" % ", ".join(seen) if seen else "")),
               settings=settings)
    res["verdict"] = verdict(settings)
    text = report(res)
    print(text)
    json.dump(res, open(os.path.join(a.work, "results.json"), "w"), indent=1)
    log("results: %s" % os.path.join(a.work, "results.json"))
    if a.markdown_out:
        with open(a.markdown_out, "a") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
