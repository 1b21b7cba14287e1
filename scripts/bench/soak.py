#!/usr/bin/env python3
"""Soak of `lyrics serve` on loopback (docs/reliability.md).

Starts the server, then N concurrent clients (default 16) send, until the time is up (default
600 s) or --max-requests were sent, a mix of valid requests (/, /api/models, /api/generate prose
and songs with rhyme, syllables and structure) and bad ones: malformed JSON, oversized bodies,
bodies sent byte by byte, connections dropped mid-request and mid-response. Then a slowloris
phase: 64 connections that send their headers one byte a second while the clients keep sending
valid requests; their p50 is compared with the soak's last phase. Reports requests served, 5xx
count, p50/p99 of valid requests, RSS at start (after filling the model pool and a warm-up), middle and end, as text and
as JSON (--json FILE). Exit 1 when a target is missed (5xx > 0, RSS growth > 10%, slowloris
p50 > 2x).

  flock /tmp/lyrics-bench.lock nice -n 10 scripts/bench/soak.py --lyrics /path/to/lyrics --seconds 600
"""
import argparse, atexit, json, os, random, socket, statistics, subprocess, sys, threading, time

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--lyrics", default=os.environ.get("LYRICS", "lyrics"), help="the lyrics binary")
p.add_argument("--seconds", type=float, default=600)
p.add_argument("--clients", type=int, default=16)
p.add_argument("--max-requests", type=int, default=200_000)
p.add_argument("--warmup", type=float, default=30, help="seconds before the start RSS is taken")
p.add_argument("--slowloris", type=int, default=64, help="connections in the slowloris phase (0: none)")
p.add_argument("--slowloris-seconds", type=float, default=60)
p.add_argument("--port", type=int, default=0)
p.add_argument("--json", help="write the figures here")
p.add_argument("--no-fill-pool", dest="fill_pool", action="store_false",
               help="skip filling the model pool before the soak (then its growth shows in the RSS figures)")
p.add_argument("--pool-probe", type=int, metavar="BURSTS",
               help="no soak: send BURSTS bursts of --clients concurrent requests of each generating kind per "
                    "model and print RSS after each (the pool's plateau, docs/reliability.md)")
p.add_argument("--one-kind", metavar="KIND,...",
               help="no soak: after filling the pool, --clients clients send only KIND for --seconds, kind after kind "
                    "(page, models, generate, song, malformed, ...), printing requests served and RSS after each")
a = p.parse_args()

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

port = a.port or free_port()
server = subprocess.Popen([a.lyrics, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
def stop_server():
    """Stops the server if it still runs: every way out of the script (the probes, an error, a
    server that never answered) ends it; the soak itself stops it first, timing SIGTERM."""
    if server.poll() is None:
        server.terminate()
        try: server.wait(timeout=10)
        except subprocess.TimeoutExpired: server.kill(); server.wait()
atexit.register(stop_server)
def wait_ready():
    deadline = time.time() + 300
    while time.time() < deadline:
        if server.poll() is not None: sys.exit("server exited: " + server.stderr.read().decode()[-2000:])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close(); return
        except OSError: time.sleep(0.5)
    sys.exit("server did not start")
wait_ready()
threading.Thread(target=lambda: server.stderr.read(), daemon=True).start()  # keep its pipe drained

def rss_kb():
    with open(f"/proc/{server.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"): return int(line.split()[1])

MODELS = json.loads(b"[]")
def request(method, path, body=b"", extra=b"", timeout=60.0):
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".encode()
    if method == "POST": head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n".encode()
    return head + extra + b"\r\n" + body

def exchange(data, timeout=60.0, send=None, read_limit=None):
    """Sends `data` (or calls send(sock)), reads the answer; returns the status (0: none)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        if send: send(s)
        else: s.sendall(data)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk: break
            got += chunk
            if read_limit and len(got) >= read_limit: return -1  # dropped mid-response on purpose
        return int(got.split(b" ", 2)[1]) if got.startswith(b"HTTP/1.1 ") else 0
    finally:
        s.close()

def gen_body(song=False):
    r = {"model": random.choice(MODELS), "prompt": random.choice(["", "the night", "my heart is"]),
         "length": random.choice([10, 20, 30]), "temperature": 0.8, "seed": random.randrange(1 << 30)}
    if song:
        r.update({"rhyme": random.choice(["AABB", "ABAB"]), "syllables": random.choice([6, 8]), "lines": 4})
        if random.random() < 0.3: r.update({"structure": "verse chorus", "partLines": "verse=2,chorus=2"})
    return json.dumps(r).encode()

def slow_send(body):
    def send(s):
        data = request("POST", "/api/generate", body)
        s.sendall(data[: len(data) - len(body)])
        for i in range(len(body)):
            s.sendall(body[i:i + 1]); time.sleep(0.02)
    return send

def drop_mid_request(s):
    body = gen_body()
    s.sendall(request("POST", "/api/generate", body)[:-len(body) // 2])

# kind -> (weight, valid?, expected statuses, action)
KINDS = {
    "page":        (10, True,  {200}, lambda: exchange(request("GET", "/"))),
    "models":      (10, True,  {200}, lambda: exchange(request("GET", "/api/models"))),
    "generate":    (38, True,  {200}, lambda: exchange(request("POST", "/api/generate", gen_body()))),
    "song":        (10, True,  {200}, lambda: exchange(request("POST", "/api/generate", gen_body(song=True)))),
    "malformed":   (8,  False, {400}, lambda: exchange(request("POST", "/api/generate", random.choice([b"{", b"[1,2", b"\xff\xfe", b'{"model": 5}', b"null"])))),
    "oversized":   (4,  False, {413}, lambda: exchange(request("POST", "/api/generate", b"{" + b" " * (200 << 10) + b"}"))),
    "slow-body":   (4,  False, {200}, lambda: exchange(None, send=slow_send(gen_body()))),
    "drop-request":(8,  False, {0},   lambda: drop_request()),
    "drop-response":(8, False, {-1},  lambda: exchange(request("GET", "/"), read_limit=100)),
}
def drop_request():
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    drop_mid_request(s); s.close(); return 0

names = list(KINDS); weights = [KINDS[k][0] for k in names]
lock = threading.Lock()
records = []  # (time, kind, status, seconds)
sent = [0]
stop_at = [0.0]
only_kinds = [None]  # None: the weighted mix of every kind; else a uniform choice among these

def client(seed):
    rnd = random.Random(seed)
    while time.time() < stop_at[0]:
        with lock:
            if sent[0] >= a.max_requests: return
            sent[0] += 1
        kind = rnd.choice(only_kinds[0]) if only_kinds[0] else rnd.choices(names, weights)[0]
        t0 = time.time()
        try: status = KINDS[kind][3]()
        except (OSError, ValueError, IndexError) as e: status = f"client error: {type(e).__name__}"
        with lock: records.append((t0, kind, status, time.time() - t0))

MODELS = [m["name"] for m in json.loads(__import__("urllib.request").request.urlopen(f"http://127.0.0.1:{port}/api/models").read())]

def run_clients(seconds):
    stop_at[0] = time.time() + seconds
    threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
    for t in threads: t.start()
    return threads

def fill_pool(bursts=2, report=False):
    """Bursts of `clients` concurrent requests of each generating kind per model, so the
    server's model pool (up to 16 idle copies per model, kept between bursts) holds as many
    copies as the soak can have in flight before the start RSS is taken: without it the pool
    fills during the soak and its growth reads like a leak (docs/reliability.md). `report`
    prints RSS before and after each burst (--pool-probe)."""
    if report: print(f"start: {rss_kb() // 1024} MB", flush=True)
    for k in range(bursts):
        for model in MODELS:
            for song in (False, True):
                def one(i):
                    body = json.loads(gen_body(song))
                    body["model"] = model
                    exchange(request("POST", "/api/generate", json.dumps(body).encode()))
                burst = [threading.Thread(target=one, args=(i,)) for i in range(a.clients)]
                for t in burst: t.start()
                for t in burst: t.join()
        if report: print(f"after burst {k + 1} of {a.clients} x {2 * len(MODELS)} kinds: {rss_kb() // 1024} MB", flush=True)

if a.pool_probe:
    fill_pool(a.pool_probe, report=True)
    sys.exit(0)
if a.one_kind:
    one_kinds = a.one_kind.split(",")
    unknown = [k for k in one_kinds if k not in KINDS]
    if unknown: sys.exit(f"error: --one-kind: unknown kind {unknown[0]!r} (kinds: {', '.join(names)})")
    fill_pool()
    print(f"pool filled: {rss_kb() // 1024} MB", flush=True)
    for kind in one_kinds:
        only_kinds[0], before = [kind], len(records)
        for t in run_clients(a.seconds): t.join()
        print(f"{kind}: {len(records) - before} requests in {a.seconds:g} s -> {rss_kb() // 1024} MB", flush=True)
    sys.exit(0)
if a.fill_pool: fill_pool()
started = time.time()
rss = {}
threads = run_clients(a.seconds)
time.sleep(min(a.warmup, a.seconds / 4)); rss["start"] = rss_kb()
time.sleep(max(0, started + a.seconds / 2 - time.time())); rss["middle"] = rss_kb()
for t in threads: t.join()
rss["end"] = rss_kb()
soak_end = time.time()

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")
valid = [r for r in records if KINDS[r[1]][1]]
valid_lat = [r[3] for r in valid if r[2] == 200]
fives = [r for r in records if isinstance(r[2], int) and r[2] >= 500]
unexpected = [r for r in records if r[2] not in KINDS[r[1]][2]]
by_kind = {k: sum(1 for r in records if r[1] == k) for k in names}

# Slowloris: 64 connections trickling headers; valid-only clients meanwhile.
slow = {}
if a.slowloris:
    tail = [r[3] for r in valid if r[0] > soak_end - 120 and r[2] == 200 and r[1] in ("generate", "song", "models", "page")]
    only_kinds[0] = ["generate", "song", "models", "page"]
    base_records = len(records)
    t_base = run_clients(a.slowloris_seconds / 2)
    for t in t_base: t.join()
    baseline = [r[3] for r in records[base_records:] if r[2] == 200]
    baseline_gen = [r[3] for r in records[base_records:] if r[2] == 200 and r[1] == "generate"]
    socks, alive = [], [True]
    def loris():
        for _ in range(a.slowloris):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5); socks.append(s)
            except OSError: pass
        line = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10000
        i = 0
        while alive[0]:
            for s in list(socks):
                try: s.send(line[i % len(line):i % len(line) + 1])
                except OSError: socks.remove(s)
            i += 1; time.sleep(1)
    lt = threading.Thread(target=loris, daemon=True); lt.start()
    time.sleep(2)
    during_start = len(records)
    t_during = run_clients(a.slowloris_seconds)
    for t in t_during: t.join()
    still_open = len(socks)
    alive[0] = False
    during = [r[3] for r in records[during_start:] if r[2] == 200]
    during_gen = [r[3] for r in records[during_start:] if r[2] == 200 and r[1] == "generate"]
    fives += [r for r in records[base_records:] if isinstance(r[2], int) and r[2] >= 500]
    slow = {"connections": a.slowloris, "still_open_at_end": still_open, "p50_before_s": pct(baseline, .5),
            "p50_during_s": pct(during, .5), "requests_before": len(baseline), "requests_during": len(during),
            "ratio": pct(during, .5) / pct(baseline, .5) if baseline and during else None,
            # The same for prose generation alone: the mix's median depends on how many fast
            # page and model-list requests fell in each phase.
            "p50_generate_before_s": pct(baseline_gen, .5), "p50_generate_during_s": pct(during_gen, .5)}
    for s in socks: s.close()

alive_after = server.poll() is None
server.terminate()
try: stopped_in = server.wait(timeout=10) is not None
except subprocess.TimeoutExpired:
    stopped_in = False; server.kill(); server.wait()
growth = (rss["end"] - rss["start"]) / rss["start"]
out = {"seconds": round(soak_end - started, 1), "clients": a.clients, "requests": len(records), "by_kind": by_kind,
       "served_valid_200": len(valid_lat), "status_5xx": len(fives), "unexpected": len(unexpected),
       "unexpected_by_kind_and_status": {f"{k} {st}": n for (k, st), n in __import__("collections").Counter((r[1], str(r[2])) for r in unexpected).items()},
       "p50_valid_s": pct(valid_lat, .5), "p99_valid_s": pct(valid_lat, .99),
       "rss_kb": rss, "rss_growth_after_warmup": round(growth, 4), "slowloris": slow, "server_alive": alive_after, "stopped_on_sigterm_within_10s": stopped_in,
       "lyrics": a.lyrics}
print(json.dumps(out, indent=2))
if a.json:
    with open(a.json, "w") as f: json.dump(out, f, indent=2)
ok = not fives and growth <= 0.10 and alive_after and (not slow or (slow["ratio"] or 99) <= 2)
sys.exit(0 if ok else 1)
