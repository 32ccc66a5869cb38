"""Benchmark of the school sync delivery: throughput, commit-to-receipt latency, outage drain.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hukou_delivery REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/sync.py [--events 10000] [--children 500] [--outage 60]

Creates a fresh database ``<name>_bench`` next to DATABASE_URL's, starts the reference receiver
and Celery workers as real processes, and prints a table (figures go to docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 18150
SECRET = "bench-secret"  # noqa: S105 (a local benchmark receiver)
SETTINGS = {
    "EDU_SYNC_URL": f"http://127.0.0.1:{PORT}/events",
    "EDU_SYNC_SECRET": SECRET,
    "EDU_SYNC_CONNECT_TIMEOUT_MS": "1000",
    "EDU_SYNC_READ_TIMEOUT_MS": "5000",
    "EDU_SYNC_BACKOFF_BASE_MS": "1000",
    "EDU_SYNC_BACKOFF_MAX_MS": "10000",
    "EDU_SYNC_LEASE_MS": "30000",
    "EDU_SYNC_SWEEP_INTERVAL_MS": "2000",
}


def fresh_database() -> str:
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/") + "_bench"
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url._replace(path=f"/{name}").geturl()


def spawn(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        args, cwd=ROOT, env=os.environ.copy(), stdout=log.open("a"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # the main process shuts its pool and beat down
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Receiver:
    def __init__(self, directory: Path) -> None:
        self.store, self.log, self.process = directory / "receiver.sqlite3", directory / "receiver.log", None

    def start(self) -> None:
        import requests

        self.process = spawn(
            [
                sys.executable,
                "manage.py",
                "run_edu_receiver",
                "--port",
                str(PORT),
                "--secret",
                SECRET,
                "--store",
                str(self.store),
            ],
            self.log,
        )
        for _ in range(200):
            try:
                if requests.get(f"http://127.0.0.1:{PORT}/_stats", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(self.log.read_text())

    def stop(self) -> None:
        stop(self.process)

    def received(self) -> dict[str, float]:
        with sqlite3.connect(self.store) as db:
            return dict(db.execute("SELECT event_id, received_at FROM events"))

    def receipts(self) -> int:
        with sqlite3.connect(self.store) as db:
            return db.execute("SELECT COUNT(*) FROM receipts").fetchone()[0]

    def violations(self) -> int:
        with sqlite3.connect(self.store) as db:
            return db.execute("SELECT COUNT(*) FROM violations").fetchone()[0]


def start_workers(directory: Path, concurrency: int) -> subprocess.Popen:
    return spawn(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-B",
            "-s",
            str(directory / "beat"),
            f"--concurrency={concurrency}",
            f"--loglevel={os.environ.get('BENCH_LOGLEVEL', 'WARNING')}",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "celery",
        ],
        directory / "worker.log",
    )


def make_children(count: int) -> list:
    from tests.factories import HouseholdFactory, PersonFactory

    children = []
    for index in range(count):
        household = HouseholdFactory(number=f"3601029{index:08d}")
        children.append(PersonFactory(household=household, name=f"儿童{index}"))
    return children


def commit_changes(people: list, per_person: int, threads: int, pace: float = 0.0) -> dict[int, float]:
    """Commit ``per_person`` name changes for each person; returns {change_event id: commit time}."""
    from django.db import connection, transaction

    from hukou.models import ChangeEvent
    from hukou.services.events import change_event_record

    committed: dict[int, float] = {}

    def work(chunk):
        try:
            for round_ in range(per_person):
                for person in chunk:
                    with transaction.atomic():
                        person.name = f"{person.name[:8]}{round_}"
                        person.save(update_fields=["name", "updated_at"])
                        event = change_event_record(kind=ChangeEvent.Kind.NAME_CHANGED, person=person, changes={})
                    committed[event.pk] = time.time()
                    if pace:
                        time.sleep(pace)
        finally:
            connection.close()

    chunks = [people[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return committed


def wait_delivered(total: int, timeout: float) -> float:
    from schoolsync.models import OutboundEvent

    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if OutboundEvent.objects.filter(status="delivered").count() >= total:
            return time.monotonic() - start
        time.sleep(0.5)
    raise RuntimeError(f"not delivered after {timeout}s")


def settle(redis_url: str, timeout: float = 120) -> None:
    import redis

    queue = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while queue.llen("celery") and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)


def baseline(count: int, sample: dict) -> float:
    """A plain sequential loop of signed POSTs to the same receiver: events per second."""
    import requests

    from schoolsync.receiver.signing import signature_header

    session = requests.Session()
    start = time.perf_counter()
    for index in range(count):
        body = json.dumps(
            {**sample, "id": str(uuid.uuid4()), "sequence": 1, "child": {**sample["child"], "person_key": f"b{index}"}},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        headers = {"Content-Type": "application/json", "Hukou-Signature": signature_header(secret=SECRET, body=body)}
        session.post(SETTINGS["EDU_SYNC_URL"], data=body, headers=headers, timeout=5).raise_for_status()
    return count / (time.perf_counter() - start)


def ids_by_change(committed: dict[int, float]) -> dict[str, float]:
    from schoolsync.models import OutboundEvent

    rows = OutboundEvent.objects.filter(change_event_id__in=list(committed)).values_list("change_event_id", "event_id")
    return {str(event_id): committed[change_id] for change_id, event_id in rows}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--children", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--outage", type=int, default=60)
    parser.add_argument("--latency-events", type=int, default=500)
    options = parser.parse_args()

    os.environ["DATABASE_URL"] = fresh_database()
    os.environ.update(SETTINGS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from schoolsync.models import OutboundEvent

    call_command("migrate", verbosity=0)
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("celery")
    directory = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    receiver = Receiver(directory)
    receiver.start()
    rows: list[tuple[str, str]] = []
    children = make_children(options.children)
    per_child = options.events // options.children
    workers = None
    try:
        # 1. Throughput: a backlog of N committed changes, then workers drain it.
        t0 = time.perf_counter()
        committed = commit_changes(children, per_child, threads=4)
        produce = time.perf_counter() - t0
        sample = OutboundEvent.objects.first().payload
        base = baseline(options.events, sample)
        rows.append(("Plain loop of signed POSTs (baseline)", f"{base:,.0f} events/s"))
        rows.append(
            (
                f"Commit {len(committed):,} registry changes with outbox (4 threads)",
                f"{len(committed) / produce:,.0f} changes/s",
            )
        )
        workers = start_workers(directory, options.concurrency)
        wait_delivered(len(committed), timeout=1800)
        ours = ids_by_change(committed)
        got = receiver.received()
        assert all(event_id in got for event_id in ours), "an event is missing at the receiver"
        span = max(got[i] for i in ours) - min(got[i] for i in ours)
        rate = len(ours) / span
        rows.append(
            (f"Delivery of {len(ours):,} events ({options.concurrency} worker processes)", f"{rate:,.0f} events/s")
        )
        rows.append(("Delivery ÷ baseline (goal ≥ 0.5)", f"{rate / base:.2f}"))

        # 2. Latency with nothing failing: paced commits, receipt time minus commit time, once
        # the tasks left over from the backlog (no-op kicks and helpers) have run.
        settle(os.environ["REDIS_URL"])
        committed = commit_changes(children[: options.latency_events], 1, threads=1, pace=0.02)
        wait_delivered(OutboundEvent.objects.count(), timeout=120)
        got = receiver.received()
        latencies = sorted(got[i] - t for i, t in ids_by_change(committed).items())
        p50 = statistics.median(latencies)
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        rows.append((f"Commit-to-receipt latency, {len(latencies)} paced changes: p50", f"{p50 * 1000:,.0f} ms"))
        rows.append(("Commit-to-receipt latency: p95 (goal < 1 s)", f"{p95 * 1000:,.0f} ms"))
        rows.append(("Commit-to-receipt latency: max", f"{latencies[-1] * 1000:,.0f} ms"))

        # 3. Outage: receiver down for N seconds while changes keep coming; then drain.
        receiver.stop()
        down_at = time.monotonic()
        committed = commit_changes(children, 2, threads=2, pace=0.02)
        time.sleep(max(0.0, options.outage - (time.monotonic() - down_at)))
        receiver.start()
        drain = wait_delivered(OutboundEvent.objects.count(), timeout=900)
        got = receiver.received()
        every_id = {str(i) for i in OutboundEvent.objects.values_list("event_id", flat=True)}
        missing = every_id - set(got)
        rows.append(
            (
                f"Outage of {options.outage} s, {len(committed):,} changes during it: drained after restart",
                f"{drain:,.1f} s",
            )
        )
        rows.append(
            (
                "Events stored by the receiver / created (each id once)",
                f"{len(every_id & set(got)):,} / {len(every_id):,}",
            )
        )
        rows.append(("Missing / sequence violations at the receiver", f"{len(missing)} / {receiver.violations()}"))
        rows.append(
            ("POSTs received in total (incl. duplicates after timeouts)", f"{receiver.receipts() - options.events:,}")
        )
    finally:
        if workers:
            stop(workers)
        receiver.stop()
    width = max(len(label) for label, _ in rows)
    print(f"\n{'Measure':<{width}}  Result")
    print(f"{'-' * width}  ------")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(f"\nSettings: {json.dumps({k: v for k, v in SETTINGS.items() if k != 'EDU_SYNC_SECRET'})}")


if __name__ == "__main__":
    main()
