"""A stand-in SMS gateway for tests and demos: accepts POSTed messages and lists them.

    POST /send        {"mobile": "...", "text": "...", "purpose": "..."}  -> 200 {"id": n}
    GET  /_messages   every message received, oldest first (JSON list)
    POST /_control    {"mode": "ok" | "500"}   make it fail, to test retries

Checks ``Authorization: Bearer <token>`` when started with ``--token``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management.base import BaseCommand


class _State:
    def __init__(self, token: str) -> None:
        self.token = token
        self.mode = "ok"
        self.messages: list[dict] = []
        self.lock = threading.Lock()


def _handler(state: _State):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _answer(self, status: int, body) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _json(self):
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def do_GET(self) -> None:
            if self.path == "/_messages":
                with state.lock:
                    self._answer(200, list(state.messages))
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            try:
                body = self._json()
            except ValueError:
                self._answer(400, {"error": "not JSON"})
                return
            if self.path == "/_control":
                state.mode = body.get("mode", "ok")
                self._answer(200, {"mode": state.mode})
                return
            if self.path != "/send":
                self._answer(404, {"error": "not found"})
                return
            if state.token and self.headers.get("Authorization") != f"Bearer {state.token}":
                self._answer(401, {"error": "bad token"})
                return
            if state.mode == "500":
                self._answer(500, {"error": "gateway failure (test mode)"})
                return
            if not body.get("mobile") or not body.get("text"):
                self._answer(400, {"error": "mobile and text are required"})
                return
            with state.lock:
                state.messages.append({"mobile": body["mobile"], "text": body["text"], "purpose": body.get("purpose")})
                self._answer(200, {"id": len(state.messages)})

    return Handler


class Command(BaseCommand):
    help = "Run a stand-in SMS gateway (tests and demos)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8901, help="0 lets the kernel choose")
        parser.add_argument("--token", default="")

    def handle(self, *args, host: str, port: int, token: str, **options) -> None:
        server = ThreadingHTTPServer((host, port), _handler(_State(token)))
        # The chosen port on the first line, so a test that passed --port 0 can find it.
        self.stdout.write(f"listening on {host}:{server.server_address[1]}", ending="\n")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
