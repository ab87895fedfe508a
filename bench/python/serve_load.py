"""Load test of `fastladeda serve` on loopback, against the CLI's own batch throughput in the same run.

    python3 serve_load.py --cli DLL --files DIR [--clients 1,8,64] [--seconds 40] [--max-requests 4000]
                          [--max-queue 16] [--out FILE.md] [--json FILE.json]

1. Reference: `fastladeda detect --json` on every input (the logits every response is checked against).
2. The CLI's batch throughput: `detect` over the inputs repeated, minus its start-up (a one-image run),
   before and after the server runs (a shared machine's load drifts: the mean of the two is the reference).
3. `fastladeda serve` on a free loopback port; at each client count, that many threads post the inputs
   round-robin (raw body), one bad upload in 20 (random bytes, a truncated JPEG, an empty body), for
   --seconds or --max-requests, whichever ends first. A 429 is honoured: the client waits Retry-After.
   Server RSS (VmRSS) is sampled every 50 ms. Then SIGTERM, and the exit code is checked.
Only the Python standard library; only 127.0.0.1 is ever contacted.
"""
import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import threading
import time

BAD_EVERY = 20  # 5 % bad uploads


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_reference(cli, paths):
    out = subprocess.run(["dotnet", cli, "detect", "--json", *paths], check=True, capture_output=True, text=True).stdout
    return {os.path.basename(e["path"]): e["logit"] for e in json.loads(out)}


def cli_throughput(cli, paths, repeat):
    """Images/s of `detect` on the inputs repeated, start-up (a one-image run) subtracted."""
    def timed(args):
        start = time.perf_counter()
        subprocess.run(["dotnet", cli, "detect", *args], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start
    startup = min(timed([paths[0]]) for _ in range(2))
    listed = paths * repeat
    total = timed(listed)
    return len(listed) / (total - startup), total, startup, len(listed)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Level:
    def __init__(self, clients):
        self.clients = clients
        self.lock = threading.Lock()
        self.latencies = []       # seconds, 200 responses
        self.statuses = {}
        self.images_ok = 0
        self.mismatches = []
        self.bad_ok = 0           # bad uploads answered 4xx with an error line
        self.bad_wrong = []       # bad uploads answered otherwise
        self.lost = []            # connection errors, unparseable responses
        self.rejected = 0         # 429
        self.peak_rss_kib = 0
        self.wall = 0.0


def client(port, level, inputs, bad_inputs, reference, deadline, budget, counter):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while time.perf_counter() < deadline:
        with counter["lock"]:
            i = counter["n"]
            if i >= budget:
                return
            counter["n"] += 1
        bad = i % BAD_EVERY == BAD_EVERY - 1
        name, body = bad_inputs[(i // BAD_EVERY) % len(bad_inputs)] if bad else inputs[i % len(inputs)]
        start = time.perf_counter()
        try:
            conn.request("POST", f"/v1/detect?name={name}", body=body, headers={"Content-Type": "application/octet-stream"})
            response = conn.getresponse()
            payload = response.read()
            status = response.status
            retry_after = response.getheader("Retry-After")
        except (OSError, http.client.HTTPException) as e:
            with level.lock:
                level.lost.append(f"{name}: {type(e).__name__}: {e}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        elapsed = time.perf_counter() - start
        with level.lock:
            level.statuses[status] = level.statuses.get(status, 0) + 1
        if status == 429:
            with level.lock:
                level.rejected += 1
            time.sleep(float(retry_after or 1) * random.uniform(0.5, 1.0))
            continue
        try:
            doc = json.loads(payload)
        except ValueError:
            with level.lock:
                level.lost.append(f"{name}: {status} with a body that is not JSON")
            continue
        with level.lock:
            if bad:
                if status in (400, 415, 422) and doc.get("error", "").startswith(name + ": "):
                    level.bad_ok += 1
                else:
                    level.bad_wrong.append(f"{name}: {status} {payload[:200]!r}")
            elif status == 200:
                result = doc["results"][0]
                level.latencies.append(elapsed)
                level.images_ok += 1
                if result["name"] != name or abs(result["logit"] - reference[name]) > 1e-5:
                    level.mismatches.append(f"{name}: {result['logit']} vs detect --json {reference[name]}")
            else:
                level.bad_wrong.append(f"{name}: {status} {payload[:200]!r}")


def run_level(port, pid, clients, inputs, bad_inputs, reference, seconds, budget):
    level = Level(clients)
    counter = {"n": 0, "lock": threading.Lock()}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            level.peak_rss_kib = max(level.peak_rss_kib, rss_kib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    deadline = start + seconds
    threads = [threading.Thread(target=client, args=(port, level, inputs, bad_inputs, reference, deadline, budget, counter)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    level.wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    return level


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--files", required=True)
    parser.add_argument("--clients", default="1,8,64")
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--max-requests", type=int, default=4000)
    parser.add_argument("--max-queue", type=int, default=16)
    parser.add_argument("--cli-repeat", type=int, default=12)
    parser.add_argument("--out")
    parser.add_argument("--json")
    args = parser.parse_args()

    names = sorted(n for n in os.listdir(args.files) if n.rsplit(".", 1)[-1] in ("jpg", "png", "webp"))
    paths = [os.path.join(args.files, n) for n in names]
    inputs = [(n, open(p, "rb").read()) for n, p in zip(names, paths)]
    jpeg = next(body for n, body in inputs if n.endswith(".jpg"))
    rng = random.Random(16)
    bad_inputs = [("random.bin", bytes(rng.getrandbits(8) for _ in range(65536))),
                  ("truncated.jpg", jpeg[: len(jpeg) // 3]),
                  ("empty.png", b"")]

    load_before = os.getloadavg()
    reference = cli_reference(args.cli, paths)
    cli_before, cli_total, cli_startup, cli_images = cli_throughput(args.cli, paths, args.cli_repeat)
    print(f"CLI batch: {cli_images} images in {cli_total:.2f} s, start-up {cli_startup:.2f} s: {cli_before:.2f} images/s", flush=True)

    port = free_port()
    server = subprocess.Popen(["dotnet", args.cli, "serve", "--port", str(port), "--max-queue", str(args.max_queue)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        # Warm-up, not counted: each input once (the first requests pay the JIT, as the CLI's first images do).
        for name, body in inputs:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            c.request("POST", f"/v1/detect?name={name}", body=body)
            c.getresponse().read()
        idle_rss = rss_kib(server.pid)
        levels = []
        for clients in (int(c) for c in args.clients.split(",")):
            level = run_level(port, server.pid, clients, inputs, bad_inputs, reference, args.seconds, args.max_requests)
            levels.append(level)
            print(f"{clients:>3} clients: {level.images_ok / level.wall:.2f} images/s, p50 {percentile(level.latencies, 50) * 1000:.0f} ms, "
                  f"p99 {percentile(level.latencies, 99) * 1000:.0f} ms, 429 {level.rejected}, statuses {level.statuses}, "
                  f"mismatches {len(level.mismatches)}, lost {len(level.lost)}, bad-upload answers wrong {len(level.bad_wrong)}, "
                  f"peak RSS {level.peak_rss_kib / 1024:.0f} MiB", flush=True)
        server.send_signal(signal.SIGTERM)
        exit_code = server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    cli_after = cli_throughput(args.cli, paths, args.cli_repeat)[0]
    cli_ips = (cli_before + cli_after) / 2
    print(f"CLI batch after the server: {cli_after:.2f} images/s; reference {cli_ips:.2f}", flush=True)
    load_after = os.getloadavg()

    rows = []
    for level in levels:
        five_xx = sum(n for s, n in level.statuses.items() if s >= 500)
        rows.append({
            "clients": level.clients, "seconds": round(level.wall, 1), "requests": sum(level.statuses.values()) + len(level.lost),
            "images_ok": level.images_ok, "images_per_s": level.images_ok / level.wall,
            "vs_cli": level.images_ok / level.wall / cli_ips,
            "p50_ms": percentile(level.latencies, 50) * 1000, "p99_ms": percentile(level.latencies, 99) * 1000,
            "rejected_429": level.rejected, "bad_uploads_4xx": level.bad_ok, "bad_answers_wrong": len(level.bad_wrong),
            "5xx": five_xx, "lost": len(level.lost), "mismatched": len(level.mismatches),
            "peak_rss_mib": level.peak_rss_kib / 1024,
            "examples": (level.mismatches + level.lost + level.bad_wrong)[:5],
        })
    summary = {"cli_images_per_s": cli_ips, "cli_before": cli_before, "cli_after": cli_after, "cli_images": cli_images, "cli_seconds": cli_total, "cli_startup_s": cli_startup,
               "idle_rss_mib": idle_rss / 1024, "server_exit_code": exit_code, "max_queue": args.max_queue,
               "load_before": load_before, "load_after": load_after, "cores": os.cpu_count(), "levels": rows,
               "inputs": {n: len(b) for n, b in inputs}}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)
    table = ["| clients | s | requests | images OK | images/s | vs CLI | p50 ms | p99 ms | 429 | bad → 4xx | 5xx | lost | mismatched | peak RSS MiB |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        table.append(f"| {r['clients']} | {r['seconds']} | {r['requests']} | {r['images_ok']} | {r['images_per_s']:.2f} | {r['vs_cli'] * 100:.0f} % | "
                     f"{r['p50_ms']:.0f} | {r['p99_ms']:.0f} | {r['rejected_429']} | {r['bad_uploads_4xx']} | {r['5xx']} | {r['lost']} | "
                     f"{r['mismatched']} | {r['peak_rss_mib']:.0f} |")
    text = "\n".join(table)
    text += (f"\n\nCLI batch (`detect` on the same {len(inputs)} files × {args.cli_repeat}, start-up subtracted): "
             f"{cli_ips:.2f} images/s, the mean of {cli_before:.2f} before the server ran ({cli_images} images in {cli_total:.2f} s, "
             f"start-up {cli_startup:.2f} s) and {cli_after:.2f} after. "
             f"Server RSS after warm-up {idle_rss / 1024:.0f} MiB, --max-queue {args.max_queue}; exit code after SIGTERM {exit_code}. "
             f"Load average before {load_before[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} cores.\n")
    print(text)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
    text = (f"# fastladeda serve under load, measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
            f"{cpu}, {os.cpu_count()} cores; client and server on the same cores (loopback). Server: `serve --max-queue {args.max_queue}` "
            f"(defaults otherwise: one worker per core, --max-batch 8, --max-body 32 MiB, --timeout 30). Each level: at most "
            f"{args.seconds:g} s or {args.max_requests} requests; inputs round-robin: {', '.join(n for n, _ in inputs)}; "
            f"every {BAD_EVERY}th upload bad ({', '.join(n for n, _ in bad_inputs)}).\n\n" + text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
