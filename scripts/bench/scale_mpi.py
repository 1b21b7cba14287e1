#!/usr/bin/env python3
"""LSTM data-parallel scaling on one machine: 1 process vs `mpirun -np 2`, one thread per rank,
the same total work (same global batch, same steps). Word vectors: scripts/bench/word2vec-ranks.sh.

  scripts/bench/scale-mpi.sh [--steps 60] [--markdown-out docs/x.md]

Wall time of S steps minus wall time of S0 steps (setup, corpus reading and the final save
cancel out), as training tokens per second of the whole job. Also prints the bytes each method sends per step or sync, from the model
sizes, so docs/distributed.md can put communication beside compute.
"""
import argparse, json, os, re, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("--lyrics", default=".build-w-rel/release/lyrics")
p.add_argument("--corpus", default="corpora/verse-2m.txt")
p.add_argument("--vectors", default="models/word-vectors.bin")
p.add_argument("--steps", type=int, default=60)
p.add_argument("--base-steps", type=int, default=10)
p.add_argument("--ranks", type=int, default=2)
p.add_argument("--skip", default="", help="comma list of char,word to skip")
p.add_argument("--work", default="/tmp/lyrics-scale-mpi")
p.add_argument("--markdown-out")
a = p.parse_args()
os.makedirs(a.work, exist_ok=True)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def launch(args, ranks):
    cmd = ([a.lyrics] if ranks == 1 else ["mpirun", "-np", str(ranks), "--oversubscribe", a.lyrics]) + args
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), r.stderr[-2000:]))
    return time.perf_counter() - t0, r


def lstm(kind, extra):
    rows = []
    for ranks in (1, a.ranks):
        times = {}
        for steps in (a.base_steps, a.steps):
            out = os.path.join(a.work, "%s-%d-%d.safetensors" % (kind, ranks, steps))
            args = [kind, "train", "--corpus", a.corpus, "--output", out, "--steps", str(steps), "--eval-every", "1000000",
                    "--threads", "1", "--quiet"] + extra
            times[steps], _ = launch(args, ranks)
        secs = times[a.steps] - times[a.base_steps]
        rows.append((ranks, secs / (a.steps - a.base_steps)))
    return rows


def params(path):
    import struct
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        h = json.loads(f.read(n))
    return sum(eval("*".join(map(str, v["shape"])) or "1") for k, v in h.items()
               if k != "__metadata__" and not k.startswith(("optimizer.", "best.", "state.")))


load_before = open("/proc/loadavg").read().split()[:3]
lines = ["### Scaling, 1 vs %d ranks (one thread each, same total work)" % a.ranks, "",
         "Command: `scripts/bench/scale-mpi.sh %s`; release build; load average before %s. Started %s." % (
             " ".join(sys.argv[1:]), " ".join(load_before), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())), "",
         "| trainer | ranks | time per step / run | throughput | speed-up | sent per rank per step / sync |",
         "|---|---:|---:|---:|---:|---:|"]
skip = set(filter(None, a.skip.split(",")))
for kind, extra, unit in [("char", ["--batch", "32", "--seq-length", "64"], "chars"),
                          ("word", ["--vectors", a.vectors, "--batch", "32", "--seq-length", "35"], "words")]:
    if kind in skip:
        continue
    rows = lstm(kind, extra)
    n = params(os.path.join(a.work, "%s-1-%d.safetensors" % (kind, a.steps)))
    tokens = 32 * (64 if kind == "char" else 35)
    for ranks, sec in rows:
        ring = 2 * (ranks - 1) / ranks * n * 4
        lines.append("| %s train (%s parameters) | %d | %.1f ms | %s %s/s | %.2fx | %.1f MB (ring allreduce of %.1f MB of gradients) |" % (
            kind, format(n, ","), ranks, sec * 1000, format(int(tokens / sec), ","), unit, rows[0][1] / sec, ring / 1e6, n * 4 / 1e6))
lines += ["", "Load average after: %s." % " ".join(open("/proc/loadavg").read().split()[:3]), ""]
report = "\n".join(lines)
print(report)
if a.markdown_out:
    with open(a.markdown_out, "a") as f:
        f.write(report + "\n")
