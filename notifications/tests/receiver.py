"""A local HTTP receiver standing in for the WeCom / DingTalk / Feishu robot servers (no outside
network). It checks each platform's signature as their documentation defines it — written here
independently of notifications/robots.py — and records every request."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class Receiver:
    def __init__(self):
        self.requests = []  # (path, query dict, payload dict, signature ok)
        self.responses = {}  # path -> list of (status, body) consumed in order; default 200 ok
        self.secrets = {}  # path -> (platform, secret) whose signature is checked
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length", 0))
                payload = json.loads(self.rfile.read(length).decode("utf-8"))
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                signed = receiver._check(parts.path, query, payload)
                receiver.requests.append((parts.path, query, payload, signed))
                queue = receiver.responses.get(parts.path) or []
                status, body = queue.pop(0) if queue else (200, {"errcode": 0, "errmsg": "ok"})
                if not signed:
                    status, body = 200, {"errcode": 310000, "errmsg": "sign not match"}
                self.send_response(status)
                if status in (301, 302, 307):
                    self.send_header("Location", body)
                    body = {}
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _check(self, path, query, payload) -> bool:
        if path not in self.secrets:
            return True
        platform, secret = self.secrets[path]
        if platform == "dingtalk":
            # https://open.dingtalk.com/document/robots/customize-robot-security-settings
            timestamp = query.get("timestamp", "")
            expected = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
            return query.get("sign", "") == base64.b64encode(expected).decode()
        # Feishu: https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
        timestamp = payload.get("timestamp", "")
        expected = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
        return payload.get("sign", "") == base64.b64encode(expected).decode()

    def paths(self):
        return [r[0] for r in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
