# RSS of `lyrics serve` after bursts of N concurrent requests of each kind the soak sends (prose and
# songs, both models): if the growth is the model pool filling, RSS stops growing once every
# kind has had N requests in flight at once.
import json, subprocess, sys, threading, time, urllib.request, socket
lyrics, n, bursts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
srv = subprocess.Popen([lyrics, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(300):
    try: urllib.request.urlopen(f"http://127.0.0.1:{port}/api/models").read(); break
    except Exception: time.sleep(0.2)
def rss():
    for l in open(f"/proc/{srv.pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1]) // 1024
bodies = []
for m in ("word", "char"):
    bodies.append({"model": m, "prompt": "the night", "length": 20, "seed": 1})
    bodies.append({"model": m, "prompt": "", "length": 20, "rhyme": "ABAB", "syllables": 8, "lines": 4, "seed": 1})
def post(b):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/generate", data=json.dumps(b).encode(), headers={"Content-Type": "application/json"})
    try: urllib.request.urlopen(req, timeout=120).read()
    except Exception as e: print("err", e, b)
print("start", rss(), "MB")
for k in range(bursts):
    for b in bodies:
        ts = [threading.Thread(target=post, args=(dict(b, seed=k * 100 + i),)) for i in range(n)]
        [t.start() for t in ts]; [t.join() for t in ts]
    print(f"after burst {k + 1} of {n} x {len(bodies)} kinds:", rss(), "MB", flush=True)
srv.terminate()
