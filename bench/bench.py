#!/usr/bin/env python3
"""Drives bench/run.sh's measurements and prints the table for the README.

Servers: `extracta-contract mock`, Prism (serving schemas/openapi.json) and a bare axum
ceiling (examples/ceiling.rs). Each gets the same wrk load (DELETE with a JSON body, 16
connections, a warm-up, then the measured run), with a well-formed and an invalid body,
alternating the servers round by round so that drift of the machine hits all alike.
Callgrind then counts the instructions each server spends per request, a figure that, unlike
requests/s, does not move with the machine's load. Last come the suite's wall time (and what
each request adds beyond its fixed start-up), the mock's start-up time and its memory.
"""
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target/release/extracta-contract")
CEILING = os.path.join(ROOT, "target/release/examples/ceiling")
PRISM = os.path.join(ROOT, "bench/node_modules/.bin/prism")
LUA = os.path.join(ROOT, "bench/delete.lua")
KEY = "bench-key"
QUICK = "--quick" in sys.argv
DURATION = 3 if QUICK else 10
WARMUP = 1 if QUICK else 2
ROUNDS = 1 if QUICK else 2
CONNECTIONS = 16
BODIES = {
    "well-formed": json.dumps({"classificationId": "cls-bench", "batchId": "batch-bench", "fileIds": ["file-bench"]}),
    "invalid": json.dumps({"classificationId": 5, "fileIds": "x"}),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def wait_ready(port, timeout=60.0):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"nothing listens on {port}")


class Server:
    def __init__(self, name, argv, port, prefix="/api/v1"):
        self.name, self.port = name, port
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        wait_ready(port)
        self.url = f"http://127.0.0.1:{port}{prefix}/documentClassification/deleteFiles"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_servers():
    mock_port, prism_port, ceiling_port = free_port(), free_port(), free_port()
    spec = os.path.join(ROOT, "schemas/openapi.json")
    return [
        Server("extracta-contract mock", [BINARY, "mock", "--port", str(mock_port), "--api-key", KEY], mock_port),
        Server("Prism 5.16 (-v error)", ["node", PRISM, "mock", spec, "-p", str(prism_port), "-h", "127.0.0.1", "-v", "error"], prism_port, prefix=""),
        Server("bare axum (ceiling)", [CEILING, str(ceiling_port)], ceiling_port),
    ]


def wrk(url, body, seconds, connections=CONNECTIONS, threads=2):
    env = dict(os.environ, BODY=body, KEY=KEY)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", LUA, url],
        capture_output=True, text=True, env=env, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "total": total,
            "non2xx": int(non_2xx.group(1)) if non_2xx else 0, "errors": errors.group(1) if errors else ""}


def status_of(url, body):
    request = urllib.request.Request(url, data=body.encode(), method="DELETE",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + KEY})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def throughput():
    servers = start_servers()
    results = {}
    try:
        for body_name, body in BODIES.items():
            statuses = {s.name: status_of(s.url, body) for s in servers}
            for rnd in range(ROUNDS):
                order = servers[rnd % len(servers):] + servers[:rnd % len(servers)]
                for server in order:
                    wrk(server.url, body, WARMUP)
                    result = wrk(server.url, body, DURATION)
                    results.setdefault((server.name, body_name), []).append(result)
            for server in servers:
                for r in results[(server.name, body_name)]:
                    r["status"] = statuses[server.name]
        peaks = {s.name: rss_kb(s.process.pid, "VmHWM") for s in servers}
    finally:
        for server in servers:
            server.stop()
    return results, peaks


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def hyperfine_median(command):
    """Median wall time (s) of `command`, and the requests its last run reports sending."""
    export = os.path.join(ROOT, "target/bench-suite.json")
    subprocess.run(["hyperfine", "--warmup", "2", "--runs", "5" if QUICK else "15", "--export-json", export,
                    "-N", command], cwd=ROOT, check=True, capture_output=True)
    with open(export) as f:
        times = json.load(f)["results"][0]["times"]
    out = subprocess.run(command.split(), cwd=ROOT, capture_output=True, text=True).stdout
    return statistics.median(times), int(re.search(r"(\d+) requests \(", out).group(1)), out


def suite_timing():
    """The suite's wall time with process start, and its time inside the run as it reports it."""
    wall, requests, _ = hyperfine_median(f"{BINARY} run")
    inside = []
    for _ in range(5 if QUICK else 15):
        out = subprocess.run([BINARY, "run"], cwd=ROOT, capture_output=True, text=True).stdout
        inside.append(int(re.search(r"\) in (\d+) ms", out).group(1)))
    return wall, statistics.median(inside), requests


def instructions_per_request(argv, port, body):
    """User-space instructions a server spends per request, counted by callgrind: the
    difference between 2,500 and 500 requests on one connection, so start-up cancels out.
    Stable on a noisy machine, where requests/s are not."""
    payload = body.encode()
    request = (f"DELETE /api/v1/documentClassification/deleteFiles HTTP/1.1\r\nHost: bench\r\n"
               f"Content-Type: application/json\r\nAuthorization: Bearer {KEY}\r\n"
               f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload
    totals = []
    for count in (500, 2500):
        out = os.path.join(ROOT, f"target/bench-callgrind.{port}.{count}")
        process = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        wait_ready(port)
        with socket.create_connection(("127.0.0.1", port)) as connection:
            for _ in range(count):
                connection.sendall(request)
                received = b""
                while True:
                    received += connection.recv(65536)
                    head, sep, rest = received.partition(b"\r\n\r\n")
                    if sep:
                        length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
                        if len(rest) >= length:
                            break
        process.terminate()
        process.wait()
        with open(out) as f:
            totals.append(int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1)))
        os.remove(out)
    return (totals[1] - totals[0]) / 2000


def round_trip(url, body):
    """Mean latency of one sequential client: the per-request round trip."""
    r = wrk(url, body, 2 if QUICK else 5, connections=1, threads=1)
    return 1000.0 / r["rps"]


def startup_and_memory():
    starts = []
    for _ in range(5):
        port = free_port()
        t0 = time.perf_counter()
        process = subprocess.Popen([BINARY, "mock", "--port", str(port), "--api-key", KEY],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/api/v1/documentClassification/deleteFiles"
        while True:
            try:
                status_of(url, BODIES["well-formed"])
                break
            except OSError:
                time.sleep(0.001)
        starts.append((time.perf_counter() - t0) * 1000)
        idle = rss_kb(process.pid)
        process.terminate()
        process.wait()
    port = free_port()
    process = subprocess.Popen([BINARY, "mock", "--port", str(port), "--api-key", KEY],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port)
    url = f"http://127.0.0.1:{port}/api/v1/documentClassification/deleteFiles"
    sent = 0
    rss = {}
    for target in (100_000, 1_000_000):
        while sent < target:
            sent += wrk(url, BODIES["well-formed"], 2)["total"]
        rss[target] = (sent, rss_kb(process.pid))
    process.terminate()
    process.wait()
    return statistics.median(starts), idle, rss


def main():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print(f"machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}; load tool on the same cores")
    print(f"load: wrk, DELETE deleteFiles with a JSON body, {CONNECTIONS} connections, {WARMUP} s warm-up, {DURATION} s measured, {ROUNDS} round(s), median\n")
    results, peaks = throughput()
    print("| server | body | status | requests/s | p50 ms | p99 ms | peak RSS MB |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    names = [n for n, _ in results if _ == "well-formed"]
    for body in BODIES:
        for name in names:
            runs = results[(name, body)]
            print(f"| {name} | {body} | {runs[0]['status']} | {median_of(runs, 'rps'):,.0f} | "
                  f"{median_of(runs, 'p50'):.2f} | {median_of(runs, 'p99'):.2f} | {peaks[name] / 1024:.1f} |")
    print()
    for body in BODIES:
        mock = median_of(results[(names[0], body)], "rps")
        prism = median_of(results[(names[1], body)], "rps")
        ceiling = median_of(results[(names[2], body)], "rps")
        p99 = median_of(results[(names[0], body)], "p99")
        print(f"{body}: mock/Prism {mock / prism:.1f}x (target >= 10x), mock/ceiling {mock / ceiling:.2f}x "
              f"(target >= 0.75x), mock p99 {p99:.2f} ms (target < 2 ms)")
    if shutil.which("valgrind"):
        port = free_port()
        counts = {}
        for name, argv in (("mock", [BINARY, "mock", "--port", str(port), "--api-key", KEY]),
                           ("ceiling", [CEILING, str(port)])):
            for body in BODIES:
                counts[(name, body)] = instructions_per_request(argv, port, BODIES[body])
        print()
        for body in BODIES:
            mock, ceiling = counts[("mock", body)], counts[("ceiling", body)]
            print(f"callgrind, {body}: mock {mock:,.0f} instructions per request, ceiling {ceiling:,.0f} "
                  f"({mock / ceiling:.2f}x the ceiling's work)")
    wall, inside, requests = suite_timing()
    port = free_port()
    process = subprocess.Popen([CEILING, str(port)], stdout=subprocess.DEVNULL)
    wait_ready(port)
    trip = round_trip(f"http://127.0.0.1:{port}/api/v1/documentClassification/deleteFiles", BODIES["well-formed"])
    process.terminate()
    process.wait()
    per_request = wall * 1000 / requests
    per_request_inside = inside / requests
    print(f"\nsuite (`extracta-contract run`, release, built-in mock): median {wall * 1000:.1f} ms wall "
          f"(target < 500 ms) for {requests} requests: {per_request:.3f} ms per request with process start, "
          f"{per_request_inside:.3f} ms inside the run ({inside:.0f} ms); ceiling round trip {trip:.3f} ms: "
          f"{per_request / trip:.1f}x / {per_request_inside / trip:.1f}x (target <= 3x)")
    start, idle, rss = startup_and_memory()
    (n1, r1), (n2, r2) = rss[100_000], rss[1_000_000]
    print(f"mock start to first answer: median {start:.1f} ms (target < 50 ms); idle RSS {idle / 1024:.1f} MB (target < 30 MB)")
    print(f"RSS after {n1:,} requests {r1 / 1024:.1f} MB, after {n2:,} {r2 / 1024:.1f} MB: {r2 / r1:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
