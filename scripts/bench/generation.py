#!/usr/bin/env python3
"""Generation speed benchmark (figures in docs/generation.md; not a timed test).

    scripts/bench/generation.py --lyrics .build/release/lyrics --word WORD.safetensors --char CHAR.safetensors

- word generation: `lyrics generate --model WORD --words N` for a short and a long N, each run
  `--repeat` times (best run kept). Words/s excluding start-up = (N_long - N_short) / (t_long -
  t_short), so loading the model and the vectors cancels; including start-up = N_long / t_long.
- char generation: the same with `--characters`.
- server: `lyrics serve --word-model bench=WORD` on a free loopback port, then 16 concurrent
  clients each sending `--requests` requests of 60 words (one connection per request, plain
  http.client, no keep-alive); p50 and p99 of the request latencies, and the requests/s.

Run with one BLAS thread (the commands get --threads 1 where they take it) on an otherwise idle
machine; the script prints the load average so a busy machine shows in the figures.
"""
import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def rate(lyrics, model, unit, short, long, repeat):
    base = [lyrics, "generate", "--model", model, "--seed", "1", "--threads", "1"]
    ts = min(timed(base + [f"--{unit}", str(short)]) for _ in range(repeat))
    tl = min(timed(base + [f"--{unit}", str(long)]) for _ in range(repeat))
    return {"unit": unit, "short": short, "long": long, "seconds_short": ts, "seconds_long": tl,
            "per_second_excluding_startup": (long - short) / (tl - ts), "per_second_including_startup": long / tl,
            "startup_seconds_estimate": ts - short * (tl - ts) / (long - short)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_latency(lyrics, model, clients, requests, words):
    port = free_port()
    server = subprocess.Popen([lyrics, "serve", "--word-model", f"bench={model}", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/api/models")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                sys.exit("error: server did not start")
            time.sleep(0.2)
        latencies, errors = [], []
        lock = threading.Lock()

        def client(k):
            for i in range(requests):
                body = json.dumps({"model": "bench", "prompt": "", "length": words, "temperature": 0.8, "topK": None,
                                   "topP": 1, "repetitionPenalty": 1, "retrieval": None, "seed": 1000 * k + i})
                t = time.perf_counter()
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                c.request("POST", "/api/generate", body, {"Content-Type": "application/json"})
                r = c.getresponse()
                r.read()
                dt = time.perf_counter() - t
                with lock:
                    (latencies if r.status == 200 else errors).append(dt if r.status == 200 else r.status)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        latencies.sort()
        q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
        return {"clients": clients, "requests": len(latencies), "errors": errors, "words_per_request": words,
                "p50_ms": 1000 * q(0.50), "p99_ms": 1000 * q(0.99), "max_ms": 1000 * latencies[-1],
                "requests_per_second": len(latencies) / wall}
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lyrics", default=".build/release/lyrics")
    ap.add_argument("--word", required=True)
    ap.add_argument("--char")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--word-short", type=int, default=100)
    ap.add_argument("--word-long", type=int, default=20100)
    ap.add_argument("--char-short", type=int, default=500)
    ap.add_argument("--char-long", type=int, default=50500)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--requests", type=int, default=20, help="requests per client")
    ap.add_argument("--skip-server", action="store_true")
    a = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(open('/proc/loadavg').read().split()[:3])}", file=sys.stderr)
    out = {"word": rate(a.lyrics, a.word, "words", a.word_short, a.word_long, a.repeat)}
    if a.char:
        out["char"] = rate(a.lyrics, a.char, "characters", a.char_short, a.char_long, a.repeat)
    if not a.skip_server:
        out["server"] = serve_latency(a.lyrics, a.word, a.clients, a.requests, 60)
    out["load_average_after"] = open("/proc/loadavg").read().split()[:3]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
