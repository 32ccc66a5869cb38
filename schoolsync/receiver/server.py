"""The reference receiver: what the education system runs to accept pushed registry changes.

It checks the signature, stores each event once by id (SQLite), checks that each child's
sequence numbers arrive 1, 2, 3, ... and can be told to misbehave for tests and demos:

    POST /_control {"mode": "ok" | "500" | "timeout" | "down" | "400-for", "event_id": "...", "delay": 30}
    POST /_control {"fail_rate": 0.3, "slow_rate": 0.1, "slow_delay": 12, "drop_rate": 0.05,
                    "outage": 60, "refuse_ids": ["<event id>", ...]}
    GET  /_events     stored events in arrival order
    GET  /_stats      counters (receipts, stored, duplicates, order violations, mode, faults)

Random faults, drawn per request: ``drop_rate`` reads the request and closes the connection
without an answer; ``fail_rate`` answers 500; ``slow_rate`` stores the event and answers only after
``slow_delay`` seconds (past the sender's read timeout). ``outage`` drops every request for that
many seconds from now. ``refuse_ids`` answers 400 to those event ids.

Answers to an event POST: 200 stored (or already stored: duplicate), 400 malformed or refused,
401 bad signature, 409 sequence out of order, 500 in mode "500".
"""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from schoolsync.receiver.signing import DEFAULT_TOLERANCE, SIGNATURE_HEADER, SignatureError, signature_verify

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY, child TEXT NOT NULL, sequence INTEGER NOT NULL, type TEXT NOT NULL,
    body TEXT NOT NULL, received_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS children (child TEXT PRIMARY KEY, last_sequence INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS receipts (event_id TEXT, received_at REAL NOT NULL, outcome INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS violations (event_id TEXT, child TEXT, sequence INTEGER, expected INTEGER, at REAL);
"""


class Store:
    """SQLite store; one lock serialises writers (the check-then-insert of a sequence number)."""

    def __init__(self, path: str) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    def receipt(self, event_id: str, outcome: int) -> None:
        with self.lock:
            self.db.execute("INSERT INTO receipts VALUES (?, ?, ?)", (event_id, time.time(), outcome))

    def accept(self, event: dict, body: str) -> tuple[int, dict]:
        """Store a verified event once; refuse a sequence gap. Returns (HTTP status, answer)."""
        event_id, child, sequence = event["id"], event["child"]["person_key"], int(event["sequence"])
        with self.lock:
            if self.db.execute("SELECT 1 FROM events WHERE event_id = ?", (event_id,)).fetchone():
                return 200, {"status": "duplicate"}
            row = self.db.execute("SELECT last_sequence FROM children WHERE child = ?", (child,)).fetchone()
            expected = (row[0] if row else 0) + 1
            if sequence != expected:
                self.db.execute(
                    "INSERT INTO violations VALUES (?, ?, ?, ?, ?)", (event_id, child, sequence, expected, time.time())
                )
                return 409, {"status": "out_of_order", "expected": expected}
            self.db.execute("BEGIN")
            self.db.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                (event_id, child, sequence, event["type"], body, time.time()),
            )
            self.db.execute("INSERT OR REPLACE INTO children VALUES (?, ?)", (child, sequence))
            self.db.execute("COMMIT")
            return 200, {"status": "stored"}

    def events(self) -> list[dict]:
        with self.lock:
            rows = self.db.execute(
                "SELECT event_id, child, sequence, type, received_at FROM events ORDER BY rowid"
            ).fetchall()
        keys = ("event_id", "child", "sequence", "type", "received_at")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def stats(self) -> dict:
        with self.lock:
            one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
            return {
                "receipts": one("SELECT COUNT(*) FROM receipts"),
                "stored": one("SELECT COUNT(*) FROM events"),
                "violations": one("SELECT COUNT(*) FROM violations"),
                "receipts_by_id_max": one(
                    "SELECT COALESCE(MAX(n), 0) FROM (SELECT COUNT(*) n FROM receipts GROUP BY event_id)"
                ),
            }

    def receipts_of(self, event_id: str) -> int:
        with self.lock:
            return self.db.execute("SELECT COUNT(*) FROM receipts WHERE event_id = ?", (event_id,)).fetchone()[0]


FAULTS = {
    "fail_rate": 0.0,
    "slow_rate": 0.0,
    "slow_delay": 30.0,
    "drop_rate": 0.0,
    "outage_until": 0.0,
    "refuse_ids": [],
}


class ReceiverServer(ThreadingHTTPServer):
    daemon_threads = True
    # The listen backlog (socketserver's default is 5): a sender opening its connections all at
    # once after an outage must not find SYNs dropped and time out connecting.
    request_queue_size = 256

    def __init__(self, address, *, secret: str, store: Store, tolerance: int = DEFAULT_TOLERANCE) -> None:
        super().__init__(address, ReceiverHandler)
        self.secret, self.store, self.tolerance = secret, store, tolerance
        self.control = {"mode": "ok", "event_id": None, "delay": 30.0}
        self.faults = dict(FAULTS)
        self.random = random.Random()  # noqa: S311 (fault injection, not security)

    def fault(self) -> str:
        """Which random fault this request gets: "outage", "drop", "fail", "slow" or ""."""
        faults = self.faults
        if time.time() < faults["outage_until"]:
            return "outage"
        draw = self.random.random()
        for name in ("drop", "fail", "slow"):
            draw -= faults[f"{name}_rate"]
            if draw < 0:
                return name
        return ""


class ReceiverHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a production receiver would offer
    server: ReceiverServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without NODELAY, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args) -> None:
        pass  # one line per event would drown a 10,000-event benchmark

    def _answer(self, status: int, data: dict) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        store = self.server.store
        if self.path.startswith("/_events"):
            return self._answer(200, {"events": store.events()})
        if self.path.startswith("/_stats"):
            return self._answer(200, {**store.stats(), **self.server.control, **self.server.faults})
        if self.path.startswith("/_receipts/"):
            return self._answer(200, {"receipts": store.receipts_of(self.path.rsplit("/", 1)[-1])})
        return self._answer(404, {"status": "not_found"})

    def do_POST(self) -> None:
        if self.path.startswith("/_control"):
            return self._control()
        control, fault = self.server.control, self.server.fault()
        if control["mode"] == "down" or fault == "outage":
            return self._drop()  # like a crashed or unreachable server
        raw = self._body()
        if fault == "drop":
            self.server.store.receipt(self.headers.get("Hukou-Event-Id", ""), 0)
            return self._drop()  # read the request, then hang up without an answer
        status, answer = (500, {"status": "error"}) if fault == "fail" else self._event(raw, control)
        self.server.store.receipt(self.headers.get("Hukou-Event-Id", ""), status)
        if status == 200 and (control["mode"] == "timeout" or fault == "slow"):
            # Processed, but the answer comes too late for the sender.
            time.sleep(control["delay"] if control["mode"] == "timeout" else self.server.faults["slow_delay"])
        return self._answer(status, answer)

    def _drop(self) -> None:
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def _event(self, raw: bytes, control: dict) -> tuple[int, dict]:
        if control["mode"] == "500":
            return 500, {"status": "error"}
        try:
            signature_verify(
                secret=self.server.secret,
                header=self.headers.get(SIGNATURE_HEADER),
                body=raw,
                tolerance=self.server.tolerance,
            )
        except SignatureError as exc:
            return 401, {"status": "bad_signature", "detail": str(exc)}
        try:
            event = json.loads(raw)
            event_id = event["id"]
            _ = (event["type"], event["sequence"], event["child"]["person_key"])
        except (ValueError, KeyError, TypeError):
            return 400, {"status": "malformed"}
        refused = control["mode"] == "400-for" and control["event_id"] == event_id
        if refused or (event_id in self.server.faults["refuse_ids"] and event.get("type") != "skipped"):
            return 400, {"status": "refused", "detail": "refused by /_control"}
        return self.server.store.accept(event, raw.decode("utf-8"))

    def _control(self) -> None:
        try:
            data = json.loads(self._body() or b"{}")
        except ValueError:
            return self._answer(400, {"status": "malformed"})
        try:
            faults = faults_parse(data, self.server.faults)
        except (TypeError, ValueError) as exc:
            return self._answer(400, {"status": "bad_faults", "detail": str(exc)})
        if "mode" not in data and faults != self.server.faults:
            self.server.faults = faults
            return self._answer(200, {**self.server.control, **faults})
        if data.get("mode") not in {"ok", "500", "timeout", "down", "400-for"}:
            return self._answer(400, {"status": "unknown_mode"})
        self.server.faults = faults
        self.server.control.update(mode=data["mode"], event_id=data.get("event_id"), delay=float(data.get("delay", 30)))
        return self._answer(200, {**self.server.control, **faults})


def faults_parse(data: dict, current: dict) -> dict:
    """New fault settings from a /_control body (or command-line options), over ``current``.
    Rates are 0..1 and together at most 1; ``outage`` is seconds from now."""
    faults = dict(current)
    for key in ("fail_rate", "slow_rate", "drop_rate", "slow_delay"):
        if data.get(key) is not None:
            faults[key] = float(data[key])
    rates = [faults[key] for key in ("fail_rate", "slow_rate", "drop_rate")]
    if any(rate < 0 or rate > 1 for rate in rates) or sum(rates) > 1:
        raise ValueError("rates must be between 0 and 1 and add up to at most 1")
    if data.get("outage") is not None:
        faults["outage_until"] = time.time() + float(data["outage"])
    if data.get("refuse_ids") is not None:
        faults["refuse_ids"] = [str(event_id) for event_id in data["refuse_ids"]]
    return faults


def receiver_serve(
    *,
    host: str,
    port: int,
    secret: str,
    store_path: str,
    tolerance: int = DEFAULT_TOLERANCE,
    faults: dict | None = None,
    seed: int | None = None,
) -> None:
    server = ReceiverServer((host, port), secret=secret, store=Store(store_path), tolerance=tolerance)
    server.faults = faults_parse(faults or {}, FAULTS)
    if seed is not None:
        server.random.seed(seed)
    try:
        server.serve_forever()
    finally:
        server.server_close()
