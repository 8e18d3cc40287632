#!/usr/bin/env python3
"""Drives bench/run.sh's measurements and prints the table for the README.

Servers: `extracta-contract mock`, Prism (serving schemas/openapi.json) and two axum
ceilings (examples/ceiling.rs): the bare one answers a fixed reply without reading the body,
the fair one reads the body, parses it with serde into the request's type and answers a fixed
reply. Each gets the same wrk load (DELETE with a JSON body, 16
connections, a warm-up, then the measured run), with a well-formed and an invalid body,
alternating the servers round by round so that drift of the machine hits all alike.
Callgrind then counts the instructions each server spends per request, a figure that, unlike
requests/s, does not move with the machine's load; `--profile DIR` also writes callgrind's
annotation by function of the mock and the fair ceiling there. Last come the suite's wall time (and what
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
PROFILE = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
# Only the callgrind counts (and profiles): no load, no Prism, no timing.
CALLGRIND_ONLY = "--callgrind" in sys.argv
DELETE_PATH = "/documentClassification/deleteFiles"
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


MOCK, PRISM_NAME, BARE, FAIR = ("extracta-contract mock", "Prism 5.16 (-v error)",
                                "bare axum (ceiling)", "fair axum (ceiling, reads and parses)")


class Alias:
    """A second route of a running server: measured as a server of its own."""
    def __init__(self, name, server, prefix):
        self.name, self.port, self.process = name, server.port, server.process
        self.url = f"http://127.0.0.1:{server.port}{prefix}{DELETE_PATH}"

    def stop(self):
        pass


def start_servers():
    mock_port, prism_port, ceiling_port = free_port(), free_port(), free_port()
    spec = os.path.join(ROOT, "schemas/openapi.json")
    ceiling = Server(BARE, [CEILING, str(ceiling_port)], ceiling_port)
    return [
        Server(MOCK, [BINARY, "mock", "--port", str(mock_port), "--api-key", KEY], mock_port),
        Server(PRISM_NAME, ["node", PRISM, "mock", spec, "-p", str(prism_port), "-h", "127.0.0.1", "-v", "error"], prism_port, prefix=""),
        ceiling,
        Alias(FAIR, ceiling, "/fair/api/v1"),
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


def hyperfine_median(command, sent=r"(\d+) requests \("):
    """Median wall time (s) of `command`, and the requests its last run reports sending."""
    export = os.path.join(ROOT, "target/bench-suite.json")
    subprocess.run(["hyperfine", "--warmup", "2", "--runs", "5" if QUICK else "15", "--export-json", export,
                    "-N", command], cwd=ROOT, check=True, capture_output=True)
    with open(export) as f:
        times = json.load(f)["results"][0]["times"]
    out = subprocess.run(command.split(), cwd=ROOT, capture_output=True, text=True).stdout
    return statistics.median(times), int(re.search(sent, out).group(1)), out


def suite_timing():
    """The suite's wall time with process start, and its time inside the run as it reports it."""
    wall, requests, _ = hyperfine_median(f"{BINARY} run")
    inside = []
    for _ in range(5 if QUICK else 15):
        out = subprocess.run([BINARY, "run"], cwd=ROOT, capture_output=True, text=True).stdout
        inside.append(int(re.search(r"\) in (\d+) ms", out).group(1)))
    return wall, statistics.median(inside), requests


def explorer_timing():
    """The explorer's wall time for a budget of 1,000 requests against the built-in mock,
    and the requests it reports sending (cleanup included)."""
    command = f"{BINARY} explore --seed 1 --budget 1000"
    wall, requests, _ = hyperfine_median(command, r"target \S+: (\d+) requests \(")
    return wall, requests


def callgrind_by_function(out, inclusive=False):
    """Instructions by function in a callgrind output file: each function's own (self), or
    with what it calls (inclusive)."""
    text = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100", out],
                          capture_output=True, text=True, check=True).stdout
    costs = {}
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+(?:\([\s\d.]+%\)\s+)?(\S.*?)(?:\s+\[[^\]]*\])?$", line)
        if m and ":" in m.group(2) and not m.group(2).startswith("PROGRAM TOTALS"):
            costs[m.group(2)] = costs.get(m.group(2), 0) + int(m.group(1).replace(",", ""))
    return costs


def instructions_per_request(argv, port, body, path="/api/v1", profile=None):
    """User-space instructions a server spends per request, counted by callgrind: the
    difference between 2,500 and 500 requests on one connection, so start-up cancels out.
    Stable on a noisy machine, where requests/s are not. With `profile` (a file name), the
    same difference by function is written there, the top functions first."""
    payload = body.encode()
    request = (f"DELETE {path}{DELETE_PATH} HTTP/1.1\r\nHost: bench\r\n"
               f"Content-Type: application/json\r\nAuthorization: Bearer {KEY}\r\n"
               f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload
    totals, functions = [], []
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
        if profile:
            functions.append((callgrind_by_function(out), callgrind_by_function(out, inclusive=True)))
        os.remove(out)
    per_request = (totals[1] - totals[0]) / 2000
    if profile:
        with open(profile, "w") as f:
            f.write("# callgrind, instructions per request by function (2,500 minus 500 requests)\n")
            shown = (os.path.basename(a) if a.startswith(ROOT) else "PORT" if a == str(port) else a for a in argv)
            f.write(f"# {' '.join(shown)}, {path}{DELETE_PATH}\n")
            f.write(f"# body: {body}\n# total: {per_request:,.0f} instructions per request\n")
            for index, title, keep in ((0, "self: each function's own instructions", lambda name: True),
                                       (1, "inclusive, the crate's own functions: with what they call",
                                        lambda name: "extracta_contract" in name or "ceiling" in name)):
                few, many = functions[0][index], functions[1][index]
                rows = sorted(((many.get(n, 0) - few.get(n, 0)) / 2000, n) for n in set(few) | set(many) if keep(n))
                rows.reverse()
                f.write(f"\n## {title}\n\n")
                shown = 0.0
                for cost, name in rows[:50]:
                    if cost < 1:
                        break
                    shown += cost
                    f.write(f"{cost:>9,.0f} {100 * cost / per_request:5.1f}%  {name}\n")
                if index == 0:
                    f.write(f"\n{shown:>9,.0f} {100 * shown / per_request:5.1f}%  (the functions above)\n")
    return per_request


def callgrind_counts():
    """Instructions per request of the mock and both ceilings, on both bodies."""
    port = free_port()
    servers = (("mock", [BINARY, "mock", "--port", str(port), "--api-key", KEY], "/api/v1"),
               ("fair", [CEILING, str(port)], "/fair/api/v1"),
               ("bare", [CEILING, str(port)], "/api/v1"))
    if PROFILE:
        os.makedirs(PROFILE, exist_ok=True)
    counts = {}
    for name, argv, path in servers:
        for body in BODIES:
            profile = (os.path.join(PROFILE, f"{name}-{body}.txt")
                       if PROFILE and name != "bare" else None)
            counts[(name, body)] = instructions_per_request(argv, port, BODIES[body], path, profile)
    return counts


def suite_instructions():
    """Instructions of one whole `extracta-contract run` against the built-in mock (process
    start, the schemas it compiles, both sides of every request, judging, the reports), and
    the requests it reports sending. With `--profile DIR`, by function in DIR/suite-run.txt."""
    out = os.path.join(ROOT, "target/bench-callgrind.suite")
    stdout = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", BINARY, "run"],
                            cwd=ROOT, capture_output=True, text=True).stdout
    requests = int(re.search(r"(\d+) requests \(", stdout).group(1))
    with open(out) as f:
        total = int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))
    if PROFILE:
        with open(os.path.join(PROFILE, "suite-run.txt"), "w") as f:
            f.write(f"# callgrind, one `extracta-contract run` against the built-in mock: {total:,} "
                    f"instructions, {requests} requests\n")
            for inclusive, title in ((False, "self: each function's own instructions"),
                                     (True, "inclusive, the crate's own functions: with what they call")):
                costs = callgrind_by_function(out, inclusive=inclusive)
                rows = sorted(((c, n) for n, c in costs.items()
                               if not inclusive or "extracta_contract" in n), reverse=True)
                f.write(f"\n## {title}\n\n")
                for cost, name in rows[:40]:
                    f.write(f"{cost:>12,} {100 * cost / total:5.1f}%  {name}\n")
    os.remove(out)
    return total, requests


def print_suite_instructions():
    total, requests = suite_instructions()
    print(f"callgrind, suite run: {total:,} instructions for {requests} requests "
          f"({total / requests:,.0f} per request, start-up included)")


def print_callgrind(counts):
    for body in BODIES:
        mock, fair, bare = counts[("mock", body)], counts[("fair", body)], counts[("bare", body)]
        print(f"callgrind, {body}: mock {mock:,.0f} instructions per request, fair ceiling {fair:,.0f} "
              f"({mock / fair:.2f}x, target <= 1.3x), bare ceiling {bare:,.0f} ({mock / bare:.2f}x)")


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
    if CALLGRIND_ONLY:
        print_callgrind(callgrind_counts())
        print_suite_instructions()
        return
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
        mock, prism, bare, fair = (median_of(results[(name, body)], "rps") for name in (MOCK, PRISM_NAME, BARE, FAIR))
        p99 = median_of(results[(MOCK, body)], "p99")
        print(f"{body}: mock/Prism {mock / prism:.1f}x (target >= 10x), mock/bare ceiling {mock / bare:.2f}x "
              f"(target >= 0.75x), mock/fair ceiling {mock / fair:.2f}x, mock p99 {p99:.2f} ms (target < 2 ms)")
    if shutil.which("valgrind"):
        print()
        print_callgrind(callgrind_counts())
        print_suite_instructions()
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
          f"{per_request / trip:.1f}x / {per_request_inside / trip:.1f}x (target: inside the run <= 2x)")
    explore_wall, explore_requests = explorer_timing()
    print(f"explorer (`extracta-contract explore --seed 1 --budget 1000`, release, built-in mock): median "
          f"{explore_wall:.2f} s wall (target < 5 s) for {explore_requests} requests, cleanup included")
    start, idle, rss = startup_and_memory()
    (n1, r1), (n2, r2) = rss[100_000], rss[1_000_000]
    print(f"mock start to first answer: median {start:.1f} ms (target < 50 ms); idle RSS {idle / 1024:.1f} MB (target < 30 MB)")
    print(f"RSS after {n1:,} requests {r1 / 1024:.1f} MB, after {n2:,} {r2 / 1024:.1f} MB: {r2 / r1:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
