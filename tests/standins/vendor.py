#!/usr/bin/env python3
"""An independently written stand-in for the vendor's Document Classification API.

It follows the vendor docs, but chooses differently from the built-in mock wherever the docs
are silent: 403 for missing or unknown keys, 422 for malformed bodies, 400 for unknown ids,
415 for a non-JSON content type, UUID ids, its own messages, 200 for an empty fileIds list,
and partial deletion when some ids are unknown.

--variant NAME makes it break one documented rule, so that the suite can prove it notices.
It prints its port on the first line of standard output, then serves until killed.
"""
import argparse
import email.parser
import email.policy
import json
import socket
import struct
import threading
import time
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
    # Healthy, but different from "independent" where the docs are silent (drift):
    "drift-status",  # an unknown batch is a 404 instead of a 400
    "drift-added-field",  # deleteFiles success replies gain "deleteAll": false
    "drift-message",  # the unknown-batch message is reworded
    "drift-atomic",  # a partly unknown id list deletes nothing and answers 400
    # Healthy, but hard to talk to:
    "rate-limit",  # the first deleteFiles is answered 429 with Retry-After: 1
    "waiting",  # the first getResults of each batch answers {"status": "waiting"}
    "slow",  # deleteFiles takes 3 s to answer
    # Broken transports on deleteFiles (the rest of the API works, so the run can clean up):
    "reset",  # the connection is reset in the middle of the answer
    "not-json",  # 200 with application/json, but the body is not JSON
    "cut-short",  # the body ends before its Content-Length
    "stall",  # no answer for 30 s
    "html-500",  # a 500 with an HTML page
    "redirect",  # a 302 to another URL
]

PREFIX = "/api/v1/documentClassification/"
LOCK = threading.Lock()
DATA = {}  # classificationId -> {batchId -> [file dict]}
SEEN = set()  # first calls already answered, for "rate-limit" and "waiting"


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


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body, content_type="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
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

    def json_body(self):
        raw = self.body()
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            raise Refused(415, "Unsupported Media Type")
        try:
            value = json.loads(raw)
        except ValueError:
            raise Refused(422, "Body must be JSON")
        if not isinstance(value, dict):
            raise Refused(422, "Body must be an object")
        return value

    def handle_any(self):
        variant = self.server.variant
        if self.path == "/__data":  # for tests: how many classifications are stored
            with LOCK:
                return self.send(200, {"classifications": len(DATA)})
        if variant == "slow" and self.path.endswith("/deleteFiles"):
            time.sleep(3)
        if self.path.endswith("/deleteFiles") and self.misbehave(variant):
            return
        if not self.path.startswith(PREFIX):
            return self.send(404, {"status": "error", "message": "Not found"})
        endpoint = self.path[len(PREFIX):]
        if variant != "no-auth" and self.headers.get("Authorization") != "Bearer " + self.server.key:
            self.body()
            return self.send(403, {"status": "error", "message": "Forbidden"})
        if variant == "rate-limit" and endpoint == "deleteFiles" and first_time("429"):
            self.body()
            return self.send(429, {"status": "error", "message": "Too many requests"}, headers=[("Retry-After", "1")])
        try:
            handler = getattr(self, "ep_" + endpoint, None)
            if handler is None:
                raise Refused(404, "Unknown endpoint")
            code, body = handler()
        except Refused as refusal:
            code, body = refusal.code, {"status": "error", "message": refusal.message}
        if endpoint == "deleteFiles":
            return self.send_delete_reply(code, body)
        self.send(code, body)

    def misbehave(self, variant):
        """Answers deleteFiles the broken way `variant` names; False when it does not apply."""
        if variant not in ("reset", "not-json", "cut-short", "stall", "html-500", "redirect"):
            return False
        self.body()
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
        if variant == "success-400" and code >= 400:
            code, body = 400, {"status": "success", "message": "Files deleted"}
        if variant == "renamed-message":
            body = {"status": body["status"], "msg": body["message"]}
        if variant == "text-plain":
            return self.send(code, body["message"], "text/plain")
        self.send(code, body)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = handle_any

    def ep_createClassification(self):
        details = self.json_body().get("classificationDetails")
        if not isinstance(details, dict) or not details.get("name"):
            raise Refused(422, "classificationDetails.name is required")
        cid = str(uuid.uuid4())
        with LOCK:
            DATA[cid] = {}
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
            batches = DATA.get(fields.get("classificationId"))
            if batches is None:
                raise Refused(400, "Invalid classificationId")
            bid = fields.get("batchId") or str(uuid.uuid4())
            if "batchId" in fields and bid not in batches:
                raise Refused(400, "Invalid batchId")
            if not files:
                raise Refused(422, "No files")
            stored = [{"fileId": str(uuid.uuid4()), "fileName": name} for name in files]
            batches.setdefault(bid, []).extend(stored)
        return 200, {"status": "uploaded", "classificationId": fields["classificationId"], "batchId": bid,
                     "files": [dict(f, url="https://files.example/" + f["fileId"]) for f in stored]}

    def ep_getResults(self):
        body = self.json_body()
        if self.server.variant == "waiting" and first_time(("waiting", body.get("batchId"))):
            return 200, {"status": "waiting", "classificationId": body.get("classificationId"), "batchId": body.get("batchId")}
        with LOCK:
            batch = DATA.get(body.get("classificationId"), {}).get(body.get("batchId"))
            if batch is None:
                raise Refused(400, "Invalid batch")
            files = [dict(f, status="processed", result={"documentType": "Invoice", "confidence": 0.9}) for f in batch]
        return 200, {"status": "success", "classificationId": body["classificationId"], "batchId": body["batchId"], "files": files}

    def ep_deleteClassification(self):
        body = self.json_body()
        with LOCK:
            if DATA.pop(body.get("classificationId"), None) is None:
                raise Refused(400, "Invalid classificationId")
        return 200, {"status": "success", "message": "Classification deleted"}

    def ep_deleteFiles(self):
        variant = self.server.variant
        body = self.json_body()
        cid, bid, ids = body.get("classificationId"), body.get("batchId"), body.get("fileIds")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise Refused(422, "fileIds must be a list of strings")
        if not isinstance(cid, str) or not (isinstance(bid, str) or (bid is None and variant == "accept-missing-batch-id")):
            raise Refused(422, "classificationId and batchId must be strings")
        with LOCK:
            batches = DATA.get(cid)
            if batches is None:
                raise Refused(400, "Invalid classificationId")
            if bid is None or variant == "ignores-batch":
                pool = [f for files in batches.values() for f in files]
            elif bid in batches:
                pool = batches[bid]
            elif variant == "drift-status":
                raise Refused(404, "Invalid batchId")
            elif variant == "drift-message":
                raise Refused(400, "Unknown batch")
            else:
                raise Refused(400, "Invalid batchId")
            matched = [f for f in pool if f["fileId"] in ids]
            if ids and not matched:
                raise Refused(400, "No matching files")
            if variant == "drift-atomic" and len(matched) < len(set(ids)):
                raise Refused(400, "Some files were not found")
            if variant == "deletes-nothing":
                matched = []
            if variant == "deletes-whole-batch" and bid in batches:
                matched = list(batches[bid])
            for files in batches.values():
                files[:] = [f for f in files if f not in matched]
        return 200, {"status": "success", "message": "Files deleted"}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variant", choices=VARIANTS, default="independent")
    parser.add_argument("--key", default="standin-key")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.variant, server.key = args.variant, args.key
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
