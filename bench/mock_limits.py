#!/usr/bin/env python3
"""The built-in mock under the hostile clients of the issue "hostile round two": the figures
(peak memory under each attack, another tenant's latency during a heavy upload, ...) that the
tests cannot hold, since a test asserts events and orderings, never speed or memory.

Usage:
  bench/mock_limits.py                     build target/release/extracta-contract and measure it
  bench/mock_limits.py --binary PATH       measure another build (e.g. one from before the fixes)
  bench/mock_limits.py --baseline PATH     measure PATH too, and print both side by side
  bench/mock_limits.py --quick             shorter runs (churn 15 s instead of 60 s)
  bench/mock_limits.py --only heavy,churn  some scenarios only

Python 3 standard library only. Each scenario starts its own mock (`mock --port 0`) with the
default limits and reads the mock's peak resident memory (VmHWM) from /proc. Linux only.
"""
import http.client
import json
import os
import random
import resource
import signal
import socket
import statistics
import string
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API = "/api/v1/documentClassification"
QUICK = "--quick" in sys.argv


def option(name):
    if name in sys.argv:
        at = sys.argv.index(name)
        if at + 1 < len(sys.argv):
            return sys.argv[at + 1]
    return None


class Mock:
    """A mock process on a free port; `nofile` caps its open files (the issue's 1024)."""

    def __init__(self, binary, keys=("bench-key",), nofile=None):
        argv = [binary, "mock", "--port", "0"]
        for key in keys:
            argv += ["--api-key", key]

        def limit():
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        preexec_fn=limit, cwd=ROOT)
        url = self.process.stdout.readline().decode().strip()
        self.port = int(url.rsplit(":", 1)[1].split("/")[0])

    def status(self, field):
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith(field + ":"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def rss(self):
        return self.status("VmRSS")

    def peak(self):
        return self.status("VmHWM")

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def call(port, method, endpoint, key=None, body=None, content_type="application/json", timeout=600):
    """(status, JSON answer or None, seconds); status 0 when the request failed or timed out."""
    headers = {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    if body is not None:
        headers["Content-Type"] = content_type
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, f"{API}/{endpoint}", body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        status = answer.status
    except (OSError, http.client.HTTPException):
        return 0, None, time.perf_counter() - started
    finally:
        connection.close()
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = None
    return status, parsed, time.perf_counter() - started


def form(fields, files):
    """A multipart body: text fields first, then (name, bytes) files."""
    boundary = "benchboundary" + "".join(random.choices(string.ascii_lowercase, k=12))
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, contents in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + contents + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def words(rng, n, length=10):
    return ["".join(rng.choices(string.ascii_lowercase, k=length)) for _ in range(n)]


def create(port, key, document_types):
    status, body, _ = call(port, "POST", "createClassification", key,
                           {"classificationDetails": {"name": "bench", "documentTypes": document_types}})
    return status, (body or {}).get("classificationId")


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


# 4. One tenant's heavy upload beside another tenant and keyless requests.
def heavy(binary):
    mock = Mock(binary, keys=("slow-key", "fast-key"))
    try:
        rng = random.Random(4)
        types = [{"name": f"type-{t}", "description": "", "uniqueWords": words(rng, 1000)} for t in range(20)]
        status, cls = create(mock.port, "slow-key", types)
        text = "".join(rng.choices(string.ascii_lowercase + " ", k=19 * 1024 * 1024)).encode()
        body, content_type = form([("classificationId", cls)], [("big.txt", text)])
        del text
        done = {}

        def upload():
            done["status"], _, done["seconds"] = call(mock.port, "POST", "uploadFiles", "slow-key", body, content_type)

        worker = threading.Thread(target=upload)
        worker.start()
        fast, keyless = [], []
        while worker.is_alive():
            _, _, seconds = call(mock.port, "POST", "viewClassification", "fast-key", {"classificationId": "x"})
            fast.append(seconds * 1000)
            _, _, seconds = call(mock.port, "DELETE", "deleteFiles", None, {})
            keyless.append(seconds * 1000)
        worker.join()
        return [
            ("upload: 20 types x 1,000 words, one 19 MB file", f"{done['status']} in {done['seconds']:.2f} s"),
            ("other tenant during it: requests, median / max ms", f"{len(fast)}, {statistics.median(fast):.1f} / {max(fast):.1f}"),
            ("keyless 401 during it: max ms", f"{max(keyless):.1f}"),
            ("peak RSS MB", f"{mock.peak():.0f}"),
        ]
    finally:
        mock.stop()


# 5. Keyless bodies: 2,000 connections, each sending all but the last byte of a 1 MiB body.
def keyless(binary, count=2000, size=1024 * 1024):
    mock = Mock(binary)
    sockets = []
    answered = 0
    try:
        head = (f"DELETE {API}/deleteFiles HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                f"Content-Length: {size}\r\n\r\n").encode()
        chunk = b" " * (size - 1)
        started = time.perf_counter()
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", mock.port))
            s.settimeout(5)
            try:
                s.sendall(head)
                s.sendall(chunk)
            except OSError:
                pass
            sockets.append(s)
        sending = time.perf_counter() - started
        time.sleep(1)
        held = mock.rss()
        for s in sockets:
            s.settimeout(0.05)
            try:
                if s.recv(64).startswith(b"HTTP/1.1 401"):
                    answered += 1
            except OSError:
                pass
        probe = socket.create_connection(("127.0.0.1", mock.port))
        probe.settimeout(5)
        probe.sendall((f"DELETE {API}/deleteFiles HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                       f"Expect: 100-continue\r\nContent-Length: {size}\r\n\r\n").encode())
        try:
            first = probe.recv(64).split(b"\r\n")[0].decode()
        except OSError as error:
            first = f"nothing ({error})"
        probe.close()
        return [
            (f"{count} stalled keyless connections: RSS MB while held", f"{held:.0f}"),
            ("  of which answered 401 before their body ended", f"{answered}"),
            ("  seconds to send them", f"{sending:.1f}"),
            ("keyless Expect: 100-continue gets", first),
            ("peak RSS MB", f"{mock.peak():.0f}"),
        ]
    finally:
        for s in sockets:
            s.close()
        mock.stop()


# 6. Slowloris and 1,100 silent connections under a 1,024 open-file limit.
def silent(binary, count=1100):
    mock = Mock(binary, nofile=1024)
    sockets = []
    try:
        for _ in range(count):
            try:
                sockets.append(socket.create_connection(("127.0.0.1", mock.port), timeout=5))
            except OSError:
                break
        time.sleep(0.5)
        status, _, seconds = call(mock.port, "DELETE", "deleteFiles", "bench-key",
                                  {"classificationId": "c", "batchId": "b", "fileIds": ["f"]}, timeout=30)
        normal = f"{status} in {seconds:.2f} s" if status else f"no answer in {seconds:.0f} s"
        loris = socket.create_connection(("127.0.0.1", mock.port), timeout=5)
        started = time.perf_counter()
        closed_after = None
        request = f"DELETE {API}/deleteFiles HTTP/1.1\r\nHost: bench\r\n".encode()
        limit = 20 if QUICK else 40
        for byte in (request * 100)[:limit * 2]:
            try:
                loris.sendall(bytes([byte]))
                loris.settimeout(0.5)
                if loris.recv(1) == b"":
                    closed_after = time.perf_counter() - started
                    break
            except socket.timeout:
                pass
            except OSError:
                closed_after = time.perf_counter() - started
                break
            if time.perf_counter() - started > limit:
                break
        loris.close()
        return [
            (f"{len(sockets)} silent connections, mock limited to 1,024 files: a normal request", normal),
            ("slowloris (a byte every 0.5 s) closed after", f"{closed_after:.1f} s" if closed_after else f"open after {limit} s"),
            ("peak RSS MB", f"{mock.peak():.0f}"),
        ]
    finally:
        for s in sockets:
            s.close()
        mock.stop()


# 7. SIGTERM with a request half sent.
def shutdown(binary, patience=60):
    mock = Mock(binary)
    try:
        half_body = socket.create_connection(("127.0.0.1", mock.port))
        half_body.sendall((f"DELETE {API}/deleteFiles HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer bench-key\r\n"
                           "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{").encode())
        half_head = socket.create_connection(("127.0.0.1", mock.port))
        half_head.sendall(f"DELETE {API}/del".encode())
        time.sleep(0.3)
        started = time.perf_counter()
        mock.process.send_signal(signal.SIGTERM)
        try:
            mock.process.wait(timeout=patience)
            ended = f"exit {mock.process.returncode} after {time.perf_counter() - started:.2f} s"
        except subprocess.TimeoutExpired:
            ended = f"still running after {patience} s (killed)"
        half_body.close()
        half_head.close()
        return [("SIGTERM with a body and a head half sent", ended)]
    finally:
        mock.stop()


# 8. Stored data per key: ~1 MB classifications until refused, then all deleted; id churn.
def quota(binary, most=100):
    mock = Mock(binary)
    try:
        rng = random.Random(8)
        types = [{"name": f"t{t}", "description": "", "uniqueWords": words(rng, 1000)} for t in range(70)]
        size = len(json.dumps({"classificationDetails": {"name": "bench", "documentTypes": types}}))
        before = mock.rss()
        created, refused = [], None
        for _ in range(most):
            status, cls = create(mock.port, "bench-key", types)
            if status != 200:
                refused = status
                break
            created.append(cls)
        full = mock.rss()
        for cls in created:
            call(mock.port, "DELETE", "deleteClassification", "bench-key", {"classificationId": cls})
        # The allocator gives freed memory back lazily, on later calls: a little traffic.
        for _ in range(3):
            time.sleep(0.5)
            for _ in range(100):
                call(mock.port, "POST", "viewClassification", "bench-key", {"classificationId": "x"})
        return [
            (f"classifications of {size / 1e6:.2f} MB, up to {most}: accepted", f"{len(created)}" + (f", then {refused}" if refused else "")),
            ("RSS MB before / when full / after deleting them all (and some traffic)", f"{before:.0f} / {full:.0f} / {mock.rss():.0f}"),
            ("peak RSS MB", f"{mock.peak():.0f}"),
        ]
    finally:
        mock.stop()


def churn(binary):
    seconds = 15 if QUICK else 60
    mock = Mock(binary)
    try:
        types = [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}]
        connection = http.client.HTTPConnection("127.0.0.1", mock.port, timeout=30)

        def send(method, endpoint, body, content_type="application/json"):
            connection.request(method, f"{API}/{endpoint}", body=body,
                               headers={"Authorization": "Bearer bench-key", "Content-Type": content_type})
            answer = connection.getresponse()
            return json.loads(answer.read() or b"null")

        def cycle():
            cls = send("POST", "createClassification",
                       json.dumps({"classificationDetails": {"name": "c", "documentTypes": types}}))["classificationId"]
            body, content_type = form([("classificationId", cls)], [("a.pdf", b"invoice"), ("b.pdf", b"x"), ("c.pdf", b"y")])
            send("POST", "uploadFiles", body, content_type)
            send("DELETE", "deleteClassification", json.dumps({"classificationId": cls}))

        for _ in range(2000):
            cycle()
        start_rss = mock.rss()
        cycles, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            cycle()
            cycles += 1
        connection.close()
        return [
            (f"churn for {seconds} s (create, upload 3 files, delete; 5 ids a cycle)", f"{cycles:,} cycles, {cycles * 5:,} ids"),
            ("RSS MB after warm-up / at the end, everything deleted", f"{start_rss:.1f} / {mock.rss():.1f}"),
        ]
    finally:
        mock.stop()


# 9 and 10. A truncated upload, and 40 files in one upload.
def uploads(binary):
    mock = Mock(binary)
    try:
        _, cls = create(mock.port, "bench-key", [{"name": "Invoice", "description": "", "uniqueWords": ["invoice"]}])
        body, content_type = form([("classificationId", cls)], [("a.pdf", b"invoice" * 100)])
        s = socket.create_connection(("127.0.0.1", mock.port), timeout=10)
        s.sendall((f"POST {API}/uploadFiles HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer bench-key\r\n"
                   f"Content-Type: {content_type}\r\nContent-Length: {len(body) + 500}\r\n\r\n").encode() + body[:-40])
        s.shutdown(socket.SHUT_WR)
        try:
            truncated = s.recv(64).split(b"\r\n")[0].decode() or "closed without an answer"
        except OSError as error:
            truncated = f"no answer ({error})"
        s.close()
        body, content_type = form([("classificationId", cls)], [(f"{n}.pdf", b"invoice") for n in range(40)])
        status, answer, _ = call(mock.port, "POST", "uploadFiles", "bench-key", body, content_type)
        return [
            ("upload shorter than its Content-Length", truncated),
            ("40 files in one upload", f"{status}" + ("" if status == 200 else f" {(answer or {}).get('message')}")),
        ]
    finally:
        mock.stop()


# The hot path: instructions per request (callgrind), mock against a bare axum handler.
def hot_path(binary):
    ceiling = os.path.join(ROOT, "target/release/examples/ceiling")
    if not (shutil_which("valgrind") and os.path.exists(ceiling)):
        return [("instructions per request", "skipped (needs valgrind and target/release/examples/ceiling)")]
    bodies = {
        "well-formed": json.dumps({"classificationId": "cls-bench", "batchId": "batch-bench", "fileIds": ["file-bench"]}),
        "invalid": json.dumps({"classificationId": 5, "fileIds": "x"}),
    }
    rows = []
    for body_name, body in bodies.items():
        body = body.encode()
        counts = []
        for argv in ([binary, "mock", "--api-key", "bench-key", "--port"], [ceiling]):
            totals = []
            for count in (500, 2500):
                port = free_port()
                out = os.path.join(ROOT, f"target/bench-limits-callgrind.{port}")
                process = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv + [str(port)],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
                wait_ready(port)
                request = (f"DELETE {API}/deleteFiles HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                           f"Authorization: Bearer bench-key\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
                with socket.create_connection(("127.0.0.1", port)) as connection:
                    for _ in range(count):
                        connection.sendall(request)
                        received = b""
                        while True:
                            received += connection.recv(65536)
                            head, sep, rest = received.partition(b"\r\n\r\n")
                            if sep:
                                length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
                                if len(rest) >= length:
                                    break
                process.terminate()
                process.wait()
                with open(out) as f:
                    totals.append(int([l for l in f if l.startswith("summary:")][0].split()[1]))
                os.remove(out)
            counts.append((totals[1] - totals[0]) / 2000)
        rows.append((f"instructions per request, {body_name} body: mock / bare axum (callgrind)",
                     f"{counts[0]:,.0f} / {counts[1]:,.0f} = {counts[0] / counts[1]:.2f}x"))
    return rows


# The hot path again: requests/s under wrk against the same bare axum handler, alternating.
def throughput(binary, rounds=3, seconds=5):
    ceiling = os.path.join(ROOT, "target/release/examples/ceiling")
    if not (shutil_which("wrk") and os.path.exists(ceiling)):
        return [("requests/s against a bare axum handler", "skipped (needs wrk and target/release/examples/ceiling)")]
    bodies = {
        "well-formed": json.dumps({"classificationId": "cls-bench", "batchId": "batch-bench", "fileIds": ["file-bench"]}),
        "invalid": json.dumps({"classificationId": 5, "fileIds": "x"}),
    }
    servers = {"mock": [binary, "mock", "--port", "0", "--api-key", "bench-key"], "ceiling": [ceiling, "0"]}
    results = {}
    for _ in range(rounds):
        for name, argv in servers.items():
            process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
            url = process.stdout.readline().decode().strip() + f"{API.replace('/api/v1', '')}/deleteFiles"
            for body_name, body in bodies.items():
                env = dict(os.environ, BODY=body, KEY="bench-key")
                argv_wrk = ["wrk", "-t2", "-c16", "-s", os.path.join(ROOT, "bench/delete.lua"), url]
                subprocess.run(argv_wrk[:3] + ["-d1s"] + argv_wrk[3:], capture_output=True, env=env)
                out = subprocess.run(argv_wrk[:3] + [f"-d{seconds}s"] + argv_wrk[3:], capture_output=True, text=True, env=env).stdout
                rps = float(out.split("Requests/sec:")[1].split()[0])
                results.setdefault((name, body_name), []).append(rps)
            process.terminate()
            process.wait()
    rows = []
    for body_name in bodies:
        mock = statistics.median(results[("mock", body_name)])
        ceiling_rps = statistics.median(results[("ceiling", body_name)])
        rows.append((f"requests/s, {body_name} body: mock / bare axum (16 connections, median of {rounds})",
                     f"{mock:,.0f} / {ceiling_rps:,.0f} = {mock / ceiling_rps:.2f}x"))
    return rows


def shutil_which(name):
    return any(os.access(os.path.join(d, name), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, timeout=60.0):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"nothing listens on {port}")


SCENARIOS = {
    "heavy": ("4. a heavy upload beside another tenant", heavy),
    "keyless": ("5. keyless bodies", keyless),
    "silent": ("6. slowloris and silent connections", silent),
    "shutdown": ("7. shutdown with a request half sent", shutdown),
    "quota": ("8. stored data per key", quota),
    "churn": ("8. id churn", churn),
    "uploads": ("9, 10. truncated and wide uploads", uploads),
    "hot": ("the hot path", hot_path),
    "throughput": ("requests/s", throughput),
}


def main():
    binary = option("--binary")
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "extracta-contract", "--example", "ceiling"],
                       cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target/release/extracta-contract")
    baseline = option("--baseline")
    only = (option("--only") or ",".join(SCENARIOS)).split(",")
    print(f"machine: {os.cpu_count()} cores; mock: {binary}" + (f"; before: {baseline}" if baseline else ""))
    print()
    print("| scenario | figure | " + ("before | after |" if baseline else "value |"))
    print("| --- | --- | " + ("--- | --- |" if baseline else "--- |"))
    for name in only:
        title, scenario = SCENARIOS[name]
        after = scenario(binary)
        before = scenario(baseline) if baseline else None
        for n, (figure, value) in enumerate(after):
            if before is not None:
                old = before[n][1] if n < len(before) else ""
                print(f"| {title if n == 0 else ''} | {figure} | {old} | {value} |", flush=True)
            else:
                print(f"| {title if n == 0 else ''} | {figure} | {value} |", flush=True)


if __name__ == "__main__":
    main()
