#!/usr/bin/env python3
"""An independently written stand-in for the vendor's Document Classification API.

It follows the vendor docs, but chooses differently from the built-in mock wherever the docs
are silent: 403 for missing or unknown keys, 422 for malformed bodies (except on deleteFiles,
whose page documents 400), 400 for unknown ids, 415 for a non-JSON content type, UUID ids, its
own messages, 200 for an empty fileIds list, and partial deletion when some ids are unknown.
It holds two accounts (--key and --second-key); each sees only its own data.

--variant NAME makes it break one documented rule, so that the suite can prove it notices.
It prints its port on the first line of standard output, then serves until killed.
"""
import argparse
import base64
import email.parser
import email.policy
import json
import socket
import struct
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VARIANTS = [
    "independent",  # healthy
    "accept-missing-batch-id",  # deletes by fileIds alone when batchId is missing
    "success-400",  # refusals of deleteFiles say "success" (as the docs' 400 example does)
    "renamed-message",  # deleteFiles replies carry "msg" instead of "message"
    "text-plain",  # deleteFiles replies are text/plain
    "deletes-nothing",  # says success, deletes nothing
    "deletes-whole-batch",  # deletes every file of the batch
    "ignores-batch",  # finds the files anywhere in the classification
    "no-auth",  # accepts requests without a key
    "echo-key",  # deleteFiles messages repeat the Authorization header
    "answers-422",  # deleteFiles answers 422 (not the documented 400) for a malformed body
    "cross-tenant",  # any account's key acts on any account's data
    "cross-classification",  # deleteFiles finds a batch in any classification of the account
    # Healthy, but different from "independent" where the docs are silent (drift):
    "drift-status",  # an unknown batch is a 404 instead of a 400
    "drift-added-field",  # deleteFiles success replies gain "deleteAll": false
    "drift-message",  # the unknown-batch message is reworded
    "drift-atomic",  # a partly unknown id list deletes nothing and answers 400
    "auth-401",  # a missing or unknown key is a 401 with a code of its own, not a 403
    "idempotent",  # a delete naming an id the account does not hold is a 200 that deletes nothing
    "express",  # every answer is application/json; charset=utf-8, as Express and most gateways send
    # Healthy, but noisy:
    "request-id",  # every answer carries a random requestId, traceId and timestamps
    "lag",  # getResults lists a deleted file for 1.5 s after its delete
    # Healthy, but hard to talk to:
    "rate-limit",  # the first deleteFiles is answered 429 with Retry-After: 1
    "rate-limit-hour",  # every deleteFiles is answered 429 with Retry-After: 3600
    "rate-limit-hour-deletes",  # every delete, cleanup's too, is answered 429 with Retry-After: 3600
    "waiting",  # the first getResults of each batch answers {"status": "waiting"}
    "processing",  # getResults answers {"status": "waiting"} for 1.5 s after each upload into a batch
    "slow",  # deleteFiles takes 3 s to answer
    "slow-create",  # createClassification takes 2 s to answer
    "drop-once",  # the first request to each endpoint loses its connection before any answer
    # Hostile on deleteFiles (the rest of the API works, so the run can clean up):
    "endless",  # the answer streams forever, without a Content-Length
    "huge",  # the answer announces 200 MB
    "echo-key-encoded",  # messages echo the key JSON-escaped, \u-escaped, URL-encoded and in base64
    "control-ids",  # file ids and messages hold newlines, ANSI escapes and CI workflow commands
    "hostile-text",  # messages hold CI commands, control, bidi and non-characters, Markdown images and links
    "huge-message",  # every message is 3 MiB long (within the default --max-response-size)
    "echo-key-late",  # messages echo the key after long padding, across each report's cut
    # Broken transports on deleteFiles (the rest of the API works, so the run can clean up):
    "reset",  # the connection is reset in the middle of the answer
    "not-json",  # 200 with application/json, but the body is not JSON
    "cut-short",  # the body ends before its Content-Length
    "stall",  # no answer for 30 s
    "html-500",  # a 500 with an HTML page
    "redirect",  # a 302 to another URL
    # Breaks the contract where it looks idempotent:
    "idempotent-sloppy",  # as "idempotent", but such a delete takes the batch's first file
    # Hands out what existed before the run (cls-prod, with batch-prod holding precious.pdf):
    "dedupe-create",  # createClassification answers with cls-prod and creates nothing
    "dedupe-upload",  # an upload without a batchId puts its files into batch-prod, if its classification holds one
    # Follows the page but for one bug the hand-written cases do not name:
    "empty-bearer",  # `Authorization: Bearer ` (or `Bearer` alone) acts as the first account, a default
    "key-prefix-8",  # only the first 8 characters of a key are compared (an exact key still picks its account)
    "odd-id-500",  # a fileIds entry with a non-ASCII character or over 64 characters: deleteFiles answers 500 with an HTML page
    "duplicates-500",  # a fileIds list holding a duplicate: deleteFiles answers 500 (JSON)
    "truncated-key",  # a key cut to its first half is accepted as its account
]
# Text that would act on a terminal, a CI log or a report: workflow commands of GitHub and Azure,
# a carriage return, ANSI and NUL, bidi and invisible characters, non-characters, and Markdown
# and HTML that would render as a badge or a link.
HOSTILE = ("\n::error::pwned\n::add-mask::secret\n##vso[task.setvariable variable=v]1\n##[error]x"
           "\r\x1b[2J\x00\u202e\u2066\u200b\ufeff\ufffe\uffff"
           " ![passed](https://img.shields.io/badge/tests-passed-green) [log](https://evil.example/)"
           " <img src=x onerror=alert(1)> ``` | cell")
HUGE = 3 * 1024 * 1024
PRECIOUS = {"cls-prod": {"name": "Production classifier", "description": "Not the suite's."}}

PREFIX = "/api/v1/documentClassification/"
LOCK = threading.RLock()
DATA = {}  # classificationId -> {"owner": key, "batches": {batchId -> [file dict]}}
DELETED = {}  # fileId -> (batchId, file dict, deleted at), for "lag"
LAG = 1.5
SEEN = set()  # first calls already answered, for "rate-limit", "waiting" and "drop-once"
UPLOADED = {}  # batchId -> when files last arrived in it, for "processing"
PROCESSING = 1.5
RECEIVED = {}  # endpoint name -> requests received


def first_time(key):
    with LOCK:
        if key in SEEN:
            return False
        SEEN.add(key)
        return True


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class Crash(Exception):
    """A bug of the variant: the request ends in a 500 with this body."""

    def __init__(self, body, content_type):
        super().__init__(body)
        self.body = body
        self.content_type = content_type


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, a client that sends one
    # request at a time waits for the delayed ACK (about 40 ms) on every answer.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send(self, code, body, content_type="application/json", headers=()):
        if self.server.variant == "request-id" and isinstance(body, dict):
            body = dict(body, requestId=str(uuid.uuid4()), traceId=uuid.uuid4().hex + uuid.uuid4().hex[:8],
                        timestamp=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".%03dZ" % (time.time() % 1 * 1000),
                        servedAt=int(time.time() * 1000))
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        if self.server.variant == "express" and content_type == "application/json":
            content_type = "application/json; charset=utf-8"
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def invalid(self):
        """The status of a malformed body: the documented 400 on deleteFiles, 422 elsewhere."""
        if self.path.endswith("/deleteFiles") and self.server.variant != "answers-422":
            return 400
        return 422

    def json_body(self):
        raw = self.body()
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            raise Refused(415, "Unsupported Media Type")
        try:
            value = json.loads(raw)
        except ValueError:
            raise Refused(self.invalid(), "Body must be JSON")
        if not isinstance(value, dict):
            raise Refused(self.invalid(), "Body must be an object")
        return value

    def classification(self, cid):
        """The batches of classification `cid`, if the caller's account may act on it."""
        found = DATA.get(cid) if isinstance(cid, str) else None
        if found is None or (found["owner"] != self.account and self.server.variant != "cross-tenant"):
            return None
        return found["batches"]

    def handle_any(self):
        variant = self.server.variant
        if self.path == "/__data":  # for tests: what is stored, and the requests received
            with LOCK:
                files = sum(len(b) for c in DATA.values() for b in c["batches"].values())
                return self.send(200, {"classifications": len(DATA), "files": files, "received": RECEIVED,
                                       "ids": sorted(DATA),
                                       "batches": {c: {b: [f["fileName"] for f in fs] for b, fs in d["batches"].items()}
                                                   for c, d in DATA.items()}})
        with LOCK:
            name = self.path.rsplit("/", 1)[-1]
            RECEIVED[name] = RECEIVED.get(name, 0) + 1
        if variant == "slow-create" and self.path.endswith("/createClassification"):
            time.sleep(2)
        if variant == "drop-once" and first_time(("drop", self.path)):
            self.body()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if variant == "slow" and self.path.endswith("/deleteFiles"):
            time.sleep(3)
        if self.path.endswith("/deleteFiles") and self.misbehave(variant):
            return
        if not self.path.startswith(PREFIX):
            return self.send(404, {"status": "error", "message": "Not found"})
        endpoint = self.path[len(PREFIX):]
        accounts = [self.server.key, self.server.second_key]
        auth = self.headers.get("Authorization") or ""
        self.account = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        self.account = self.loose_account(auth, self.account, accounts)
        if self.account not in accounts:
            if variant == "auth-401":
                self.body()
                return self.send(401, {"status": "error", "message": "Invalid API key", "code": "AUTH_INVALID"})
            if variant != "no-auth":
                self.body()
                return self.send(403, {"status": "error", "message": "Forbidden"})
            self.account = self.server.key
        if variant == "rate-limit" and endpoint == "deleteFiles" and first_time("429"):
            self.body()
            return self.send(429, {"status": "error", "message": "Too many requests"}, headers=[("Retry-After", "1")])
        if (variant == "rate-limit-hour" and endpoint == "deleteFiles") or (
                variant == "rate-limit-hour-deletes" and endpoint.startswith("delete")):
            self.body()
            return self.send(429, {"status": "error", "message": "Too many requests"}, headers=[("Retry-After", "3600")])
        try:
            handler = getattr(self, "ep_" + endpoint, None)
            if handler is None:
                raise Refused(404, "Unknown endpoint")
            code, body = handler()
        except Refused as refusal:
            code, body = refusal.code, {"status": "error", "message": refusal.message}
        except Crash as crash:
            return self.send(500, crash.body, crash.content_type)
        if endpoint == "deleteFiles":
            return self.send_delete_reply(code, body)
        self.send(code, body)

    def loose_account(self, auth, token, accounts):
        """The account a variant that checks keys loosely lets `token` act as."""
        variant = self.server.variant
        if token in accounts:
            return token
        if variant == "empty-bearer" and auth.strip() == "Bearer":
            return self.server.key
        if variant == "key-prefix-8" and token and len(token) >= 8:
            return next((a for a in accounts if a[:8] == token[:8]), token)
        if variant == "truncated-key" and token:
            return next((a for a in accounts if a[:len(a) // 2] == token), token)
        return token

    def misbehave(self, variant):
        """Answers deleteFiles the broken way `variant` names; False when it does not apply."""
        if variant not in ("reset", "not-json", "cut-short", "stall", "html-500", "redirect", "endless", "huge"):
            return False
        self.body()
        if variant == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b" " * 65536
            try:
                while True:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            self.close_connection = True
            return True
        if variant == "huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(200 * 1024 * 1024))
            self.end_headers()
            try:
                self.wfile.write(b"[" + b" " * 65536)
            except OSError:
                pass
            self.close_connection = True
            return True
        if variant == "reset":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"sta")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif variant == "not-json":
            self.send(200, "Files deleted", "application/json")
        elif variant == "cut-short":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\": \"succ")
            self.wfile.flush()
            self.close_connection = True
        elif variant == "stall":
            time.sleep(30)
            self.close_connection = True
        elif variant == "html-500":
            self.send(500, "<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html")
        elif variant == "redirect":
            self.send_response(302)
            self.send_header("Location", "https://example.invalid/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
        return True

    def send_delete_reply(self, code, body):
        variant = self.server.variant
        if variant == "drift-added-field" and code == 200:
            body = dict(body, deleteAll=False)
        if variant == "echo-key":
            body = dict(body, message="%s (you sent %s)" % (body["message"], self.headers.get("Authorization")))
        if variant == "echo-key-encoded":
            key = (self.headers.get("Authorization") or "")[len("Bearer "):]
            escaped = "".join("\\u%04x" % ord(c) for c in key)
            text = json.dumps({"status": body["status"], "message": body["message"],
                               "slashes": key.replace("/", "\\/"), "escaped": "@@ESCAPED@@",
                               "url": urllib.parse.quote(key, safe=""),
                               "base64": base64.b64encode(key.encode()).decode(),
                               "basic": base64.b64encode(("user:" + key).encode()).decode()})
            # json.dumps would escape the backslashes of the \u escapes: put them in raw.
            return self.send(code, text.replace('"@@ESCAPED@@"', '"' + escaped + '"').replace("\\\\/", "\\/"))
        if variant == "control-ids":
            body = dict(body, message=body["message"] + "\n[99/99] PASS fake-case\n::error::pwned\x1b[2J\x1b[31m")
        if variant == "hostile-text":
            body = dict(body, message=body["message"] + HOSTILE)
        if variant == "huge-message":
            body = dict(body, message="a" * HUGE)
        if variant == "echo-key-late":
            body = dict(body, message=self.late_echo(body["status"]))
        if variant == "success-400" and code >= 400:
            code, body = 400, {"status": "success", "message": "Files deleted"}
        if variant == "renamed-message":
            body = {"status": body["status"], "msg": body["message"]}
        if variant == "text-plain":
            return self.send(code, body["message"], "text/plain")
        self.send(code, body)

    def late_echo(self, status):
        """A message echoing the key so that it straddles each place a report cuts text: 200
        characters into the message (a quoted value), and 500, 4096 and 16384 characters into
        the body (the text, the JSON and JUnit, and the HTML reports)."""
        key = (self.headers.get("Authorization") or "")[len("Bearer "):]
        before = len(json.dumps({"status": status, "message": ""})) - 2
        message = ""
        for cut in (200, 500 - before, 4096 - before, 16384 - before):
            message += "x" * (cut - 12 - len(message)) + key
        return message

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = handle_any

    def ep_createClassification(self):
        details = self.json_body().get("classificationDetails")
        if not isinstance(details, dict) or not details.get("name"):
            raise Refused(422, "classificationDetails.name is required")
        if self.server.variant == "dedupe-create":
            return 200, {"status": "created", "createdAt": int(time.time() * 1000), "classificationId": "cls-prod"}
        cid = str(uuid.uuid4())
        with LOCK:
            DATA[cid] = {"owner": self.account, "batches": {}, "details": details}
        return 200, {"status": "created", "createdAt": int(time.time() * 1000), "classificationId": cid}

    def ep_uploadFiles(self):
        content_type = self.headers.get("Content-Type") or ""
        raw = self.body()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        if not message.is_multipart():
            raise Refused(422, "multipart/form-data required")
        fields, files = {}, []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name == "files":
                files.append(part.get_filename() or "file")
            elif name:
                fields[name] = part.get_content().strip() if part.get_content_maintype() == "text" else ""
        with LOCK:
            batches = self.classification(fields.get("classificationId"))
            if batches is None:
                raise Refused(400, "Invalid classificationId")
            bid = fields.get("batchId") or str(uuid.uuid4())
            if self.server.variant == "dedupe-upload" and "batchId" not in fields and "batch-prod" in batches:
                bid = "batch-prod"
            if "batchId" in fields and bid not in batches:
                raise Refused(400, "Invalid batchId")
            if not files:
                raise Refused(422, "No files")
            if self.server.variant == "control-ids":
                stored = [{"fileId": "f\n::error::pwned\x1b[2J" + str(uuid.uuid4()), "fileName": name} for name in files]
            else:
                stored = [{"fileId": str(uuid.uuid4()), "fileName": name} for name in files]
            batches.setdefault(bid, []).extend(stored)
            UPLOADED[bid] = time.time()
        return 200, {"status": "uploaded", "classificationId": fields["classificationId"], "batchId": bid,
                     "files": [dict(f, url="https://files.example/" + f["fileId"]) for f in stored]}

    def strings(self, body, *names):
        """Refuses ids that are neither strings nor absent, as it refuses unknown ids (a list or
        an object would otherwise break the lookup)."""
        for name in names:
            if body.get(name) is not None and not isinstance(body.get(name), str):
                raise Refused(400, "Invalid " + name)

    def ep_getResults(self):
        body = self.json_body()
        self.strings(body, "classificationId", "batchId")
        with LOCK:
            batch = (self.classification(body.get("classificationId")) or {}).get(body.get("batchId"))
            if batch is None:
                raise Refused(400, "Invalid batch")
            if self.server.variant == "waiting" and first_time(("waiting", body.get("batchId"))):
                return 200, {"status": "waiting", "classificationId": body.get("classificationId"), "batchId": body.get("batchId")}
            if self.server.variant == "processing" and time.time() - UPLOADED.get(body.get("batchId"), 0) < PROCESSING:
                return 200, {"status": "waiting", "classificationId": body.get("classificationId"), "batchId": body.get("batchId")}
            listed = list(batch)
            if self.server.variant == "lag":
                # A read replica that has not seen the latest deletes yet.
                now = time.time()
                listed += [f for (bid, f, at) in DELETED.values() if bid == body.get("batchId") and now - at < LAG]
            files = [dict(f, status="processed", result={"documentType": "Invoice", "confidence": 0.9}) for f in listed]
        return 200, {"status": "success", "classificationId": body["classificationId"], "batchId": body["batchId"], "files": files}

    def idempotent(self):
        """Whether a delete naming what the account does not hold is a 200 that deletes nothing."""
        return self.server.variant in ("idempotent", "idempotent-sloppy")

    def ep_deleteClassification(self):
        body = self.json_body()
        with LOCK:
            if self.classification(body.get("classificationId")) is None:
                if self.idempotent() and isinstance(body.get("classificationId"), str):
                    return 200, {"status": "success", "message": "Classification deleted"}
                raise Refused(400, "Invalid classificationId")
            DATA.pop(body.get("classificationId"))
        return 200, {"status": "success", "message": "Classification deleted"}

    def ep_deleteBatch(self):
        body = self.json_body()
        self.strings(body, "classificationId", "batchId")
        with LOCK:
            batches = self.classification(body.get("classificationId"))
            if batches is None or batches.pop(body.get("batchId"), None) is None:
                if self.idempotent() and isinstance(body.get("batchId"), str):
                    return 200, {"status": "success", "message": "Batch deleted"}
                raise Refused(400, "Invalid batch")
        return 200, {"status": "success", "message": "Batch deleted"}

    def ep_viewClassification(self):
        body = self.json_body()
        with LOCK:
            if self.classification(body.get("classificationId")) is None:
                raise Refused(400, "Invalid classificationId")
            details = DATA[body["classificationId"]].get("details", {})
        return 200, {"status": "success", "classificationId": body["classificationId"], "classificationDetails": details}

    def ep_deleteFiles(self):
        variant = self.server.variant
        body = self.json_body()
        cid, bid, ids = body.get("classificationId"), body.get("batchId"), body.get("fileIds")
        if variant == "odd-id-500" and isinstance(ids, list) and any(
                isinstance(i, str) and (not i.isascii() or len(i) > 64) for i in ids):
            raise Crash("<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html")
        if variant == "duplicates-500" and isinstance(ids, list) and len(set(map(json.dumps, ids))) < len(ids):
            raise Crash(json.dumps({"status": "error", "message": "Internal server error"}), "application/json")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise Refused(self.invalid(), "fileIds must be a list of strings")
        if not isinstance(cid, str) or not (isinstance(bid, str) or (bid is None and variant == "accept-missing-batch-id")):
            raise Refused(self.invalid(), "classificationId and batchId must be strings")
        with LOCK:
            batches = self.classification(cid)
            if batches is None:
                if self.idempotent():
                    return 200, {"status": "success", "message": "Files deleted"}
                raise Refused(400, "Invalid classificationId")
            if bid is None or variant == "ignores-batch":
                pool = [f for files in batches.values() for f in files]
            elif bid in batches:
                pool = batches[bid]
            elif variant == "cross-classification" and any(bid in c["batches"] for c in DATA.values() if c["owner"] == self.account):
                pool = next(c["batches"][bid] for c in DATA.values() if c["owner"] == self.account and bid in c["batches"])
            elif variant == "drift-status":
                raise Refused(404, "Invalid batchId")
            elif variant == "drift-message":
                raise Refused(400, "Unknown batch")
            elif self.idempotent():
                return 200, {"status": "success", "message": "Files deleted"}
            else:
                raise Refused(400, "Invalid batchId")
            matched = [f for f in pool if f["fileId"] in ids]
            if variant == "idempotent-sloppy" and ids and not matched and pool:
                matched = [pool[0]]
            elif ids and not matched and not self.idempotent():
                raise Refused(400, "No matching files")
            if variant == "drift-atomic" and len(matched) < len(set(ids)):
                raise Refused(400, "Some files were not found")
            if variant == "deletes-nothing":
                matched = []
            if variant == "deletes-whole-batch" and bid in batches:
                matched = list(batches[bid])
            now = time.time()
            for owner in DATA.values():
                for batch_id, files in owner["batches"].items():
                    for f in files:
                        if f in matched:
                            DELETED[f["fileId"]] = (batch_id, f, now)
                    files[:] = [f for f in files if f not in matched]
        return 200, {"status": "success", "message": "Files deleted"}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", choices=VARIANTS, default="independent")
    parser.add_argument("--key", default="standin-key")
    parser.add_argument("--second-key", default="standin-second-key")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.variant, server.key, server.second_key = args.variant, args.key, args.second_key
    if args.variant in ("dedupe-create", "dedupe-upload"):
        # Data of the account that existed before any run: no run may delete it.
        DATA["cls-prod"] = {"owner": args.key, "details": PRECIOUS["cls-prod"],
                            "batches": {"batch-prod": [{"fileId": "file-prod-1", "fileName": "precious.pdf"}]}}
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
