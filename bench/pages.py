"""Person and household pages on a real server, next to the health endpoint in the same run.

Run (on the loaded bench registry, see bench/README.md):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hukou_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/pages.py [--requests 400] [--concurrency 10] [--workers 2]

Starts gunicorn (DEBUG off) on a free local port, logs a station clerk in (a session row),
then for each URL kind sends ``--requests`` GETs from ``--concurrency`` keep-alive threads and
prints requests/s and the ratio to ``/healthz/`` (one ``SELECT 1`` and a Redis GET), which is
the baseline. Server time and queries per page are measured in-process with the test client.
Stops the server at the end. Every request goes to 127.0.0.1 only, bounded in number.
"""

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SERVER_ENV = {"DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1,testserver"}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.registry_data import STATION_CODE  # noqa: E402
from common.roles import Role  # noqa: E402
from hukou.models import Person, Station  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _clerk() -> User:
    station = Station.objects.get(code=STATION_CODE)
    user, _ = User.objects.get_or_create(
        username="bench_pages_clerk", defaults={"role": Role.CLERK, "station": station}
    )
    return user


def _session_cookie(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _load(port: int, paths: list[str], cookie: str, concurrency: int) -> float:
    """Requests per second for GETs of ``paths`` spread over ``concurrency`` keep-alive threads."""
    chunks = [paths[i::concurrency] for i in range(concurrency)]
    failures = []

    def worker(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for path in chunk:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append((path, response.status))
        conn.close()

    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{len(failures)} failed requests, e.g. {failures[:3]}")
    return len(paths) / elapsed


def _server_time(user: User, paths: list[str]) -> tuple[float, float, set[int]]:
    client = Client()
    client.force_login(user)
    client.get(paths[0])
    samples, counts = [], set()
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        counts.add(len(queries))
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(13)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    people = list(
        Person.objects.filter(pk__in=[rng.randrange(1, top) for _ in range(args.requests)]).values_list(
            "pk", "household_id"
        )
    )
    kinds = {
        "health endpoint (baseline)": ["/healthz/"] * args.requests,
        "person page": [f"/hukou/persons/{pk}/?purpose=counter" for pk, _ in people],
        "household page": [f"/hukou/households/{household}/?purpose=counter" for _, household in people],
    }
    user = _clerk()
    for label in ("person page", "household page"):
        p50, p95, counts = _server_time(user, kinds[label][:100])
        print(f"{label}: server time in-process p50 {p50:.1f} ms, p95 {p95:.1f} ms; queries {sorted(counts)}")
    port = _free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **SERVER_ENV}, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cookie = _session_cookie(user)
        rates = {}
        for label, paths in kinds.items():
            _load(port, paths[: args.concurrency * 2], cookie, args.concurrency)  # warm-up
            rates[label] = _load(port, paths, cookie, args.concurrency)
        base = rates["health endpoint (baseline)"]
        print(
            f"\n| gunicorn, {args.workers} workers, DEBUG off, concurrency {args.concurrency} | requests/s | ÷ health |"
        )
        print("|---|---:|---:|")
        for label, rate in rates.items():
            print(f"| {label} | {rate:.0f} | {rate / base:.2f}× |")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
