"""Benchmark of the school sync delivery under faults (issue #12): one bounded run, one table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hukou_sync REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/sync.py [--children 500] [--per-child 6] [--outage 60]

Creates a fresh database ``<name>_bench`` next to DATABASE_URL's, starts the reference receiver
(with or without faults) and Celery workers as real processes, and prints a table whose goals
come from the issue and whose baseline (a plain loop of signed POSTs) is measured in the same run.
Figures go to docs/benchmarks.md.

Scenarios, in order:
1. baseline: a plain sequential loop of signed POSTs to the healthy receiver;
2. healthy backlog: ``children × per-child`` events plus 100 events of one child committed while
   no worker runs, then workers start: throughput, and how long the one child's 100 took;
3. latency: 50 changes/s for 10 s, commit-to-receipt p50/p95;
4. flaky receiver (30 % 5xx, 10 % slower than the read timeout, 5 % dropped): the same number of
   events committed while workers run: drain time, commit-to-receipt p50, loss, order;
5. outage: receiver killed, changes keep coming for ``--outage`` s, receiver back: drain time.
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
READ_TIMEOUT_MS = 3000
SETTINGS = {
    "EDU_SYNC_URL": f"http://127.0.0.1:{PORT}/events",
    "EDU_SYNC_SECRET": SECRET,
    "EDU_SYNC_CONNECT_TIMEOUT_MS": "1000",
    "EDU_SYNC_READ_TIMEOUT_MS": str(READ_TIMEOUT_MS),
    "EDU_SYNC_BACKOFF_BASE_MS": "500",
    "EDU_SYNC_BACKOFF_MAX_MS": "5000",
    "EDU_SYNC_LEASE_MS": "30000",
    "EDU_SYNC_SWEEP_INTERVAL_MS": "2000",
    "EDU_SYNC_CONCURRENCY": "32",
    "EDU_SYNC_MAX_CONNECTIONS": "64",
    "EDU_SYNC_BREAKER_OPEN_MS": "1000",
    "EDU_SYNC_BREAKER_MAX_OPEN_MS": "4000",
}
FLAKY = [
    "--fail-rate",
    "0.3",
    "--slow-rate",
    "0.1",
    "--slow-delay",
    str(READ_TIMEOUT_MS / 1000 + 1),
    "--drop-rate",
    "0.05",
]


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
        self.directory, self.process = directory, None
        self.store, self.log = directory / "receiver.sqlite3", directory / "receiver.log"

    def start(self, *faults: str, store: str | None = None) -> None:
        import requests

        if store:
            self.store = self.directory / f"{store}.sqlite3"

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
                "--seed",
                "12",
                *faults,
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

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # like a crashed host: connections refused
        self.process.wait()

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


def make_children(count: int, offset: int = 0) -> list:
    import datetime as dt

    from tests.factories import HouseholdFactory, PersonFactory

    children = []
    for index in range(offset, offset + count):
        household = HouseholdFactory(number=f"3601029{index:08d}")
        born = dt.date(2010, 1, 1) + dt.timedelta(days=index % 4000)  # school age (0..17)
        children.append(PersonFactory(household=household, name=f"儿童{index}", birth_date=born))
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
        time.sleep(0.2)
    raise RuntimeError(f"not delivered after {timeout}s")


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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def check_all(receiver: Receiver) -> tuple[int, int]:
    """(acknowledged events the receiver does not have, sequence violations) so far."""
    from schoolsync.models import OutboundEvent

    got = set(receiver.received())
    ours = {str(i) for i in OutboundEvent.objects.filter(delivered_at__isnull=False).values_list("event_id", flat=True)}
    return len(ours - got), receiver.violations()


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, measure: str, result: str, goal: str = "", verdict: bool | None = None) -> None:
        mark = "" if verdict is None else ("met" if verdict else "MISSED")
        self.rows.append((measure, result, goal, mark))
        print(f"  {measure}: {result} {goal} {mark}", flush=True)

    def print(self) -> None:
        widths = [max(len(row[i]) for row in [("Measure", "Result", "Goal", ""), *self.rows]) for i in range(4)]
        print()
        print(
            "| " + " | ".join(h.ljust(w) for h, w in zip(("Measure", "Result", "Goal", ""), widths, strict=True)) + " |"
        )
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=500)
    parser.add_argument("--per-child", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (prefork).")
    parser.add_argument("--outage", type=int, default=60)
    parser.add_argument("--latency-seconds", type=int, default=10)
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
    from schoolsync.services.breaker import breaker_reset

    breaker_reset()
    directory = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    receiver = Receiver(directory)
    receiver.start()
    table = Table()
    children = make_children(options.children)
    [solo] = make_children(1, offset=options.children)
    total = options.children * options.per_child
    workers = None
    try:
        # 1 + 2. Baseline, then a healthy backlog drained by the workers.
        committed = commit_changes(children, options.per_child, threads=4)
        solo_committed = commit_changes([solo], 100, threads=1)
        sample = OutboundEvent.objects.first().payload
        base = baseline(total, sample)
        table.add("Plain loop of signed POSTs (baseline, same receiver)", f"{base:,.0f} events/s")
        started = time.monotonic()
        workers = start_workers(directory, options.workers)
        wait_delivered(total + 100, timeout=600)
        from_start = time.monotonic() - started
        got = receiver.received()
        ours = ids_by_change(committed)
        span = max(got[i] for i in ours) - min(got[i] for i in ours)
        rate = len(ours) / span
        table.add(
            f"Healthy: {total:,} queued events, {options.children} children: delivery rate", f"{rate:,.0f} events/s"
        )
        table.add("Healthy delivery ÷ plain loop", f"{rate / base:.2f}", "≥ 0.5", rate / base >= 0.5)
        solo_ids = ids_by_change(solo_committed)
        solo_span = max(got[i] for i in solo_ids) - min(got[i] for i in solo_ids)
        table.add(
            "Healthy: 100 queued events of one child, first to last receipt (amid the backlog)",
            f"{solo_span:.1f} s",
            "< 10 s",
            solo_span < 10,
        )
        table.add("Healthy: whole backlog, worker start (incl. boot) to all delivered", f"{from_start:.1f} s")
        missing, violations = check_all(receiver)
        table.add(
            "Healthy: missing / order violations", f"{missing} / {violations}", "0 / 0", not missing and not violations
        )

        # 3. Latency at 50 changes/s.
        time.sleep(3)
        count = 50 * options.latency_seconds
        # Five committing threads, each pacing 0.1 s: ~50 changes/s even where one commit takes tens of ms.
        committed = commit_changes(children[:count], 1, threads=5, pace=0.1)
        rate = len(committed) / (max(committed.values()) - min(committed.values()))
        wait_delivered(OutboundEvent.objects.count(), timeout=120)
        got = receiver.received()
        latencies = [got[i] - t for i, t in ids_by_change(committed).items()]
        table.add(
            f"Latency, {len(latencies)} changes at {rate:.0f}/s: commit-to-receipt p50",
            f"{statistics.median(latencies) * 1000:,.0f} ms",
        )
        p95 = percentile(latencies, 0.95)
        table.add("Latency: commit-to-receipt p95", f"{p95 * 1000:,.0f} ms", "< 300 ms", p95 < 0.3)

        # 4. Flaky receiver.
        receiver.stop()
        receiver.start(*FLAKY)  # same store: sequences continue
        before, receipts_before = OutboundEvent.objects.count(), receiver.receipts()
        started = time.monotonic()
        committed = commit_changes(children, options.per_child, threads=4)
        wait_delivered(OutboundEvent.objects.count(), timeout=600)
        drain = time.monotonic() - started
        got = receiver.received()
        ids = ids_by_change(committed)
        latencies = [got[i] - t for i, t in ids.items() if i in got]
        lost = len(ids) - len(latencies)
        receipts = receiver.receipts() - receipts_before
        table.add(
            f"Flaky (30 % 5xx, 10 % > {READ_TIMEOUT_MS // 1000} s timeout, 5 % dropped): {len(ids):,} events, "
            f"{options.children} children, first commit to all acknowledged",
            f"{drain:.1f} s",
            "< 120 s",
            drain < 120,
        )
        tail = max(got[i] for i in ids if i in got) - max(committed.values())
        table.add("Flaky: last commit to all acknowledged (delivery's own drain)", f"{tail:.1f} s")
        p50 = statistics.median(latencies)
        table.add("Flaky: commit-to-receipt p50", f"{p50:.1f} s", "< 10 s", p50 < 10)
        table.add("Flaky: commit-to-receipt p95", f"{percentile(latencies, 0.95):.1f} s")
        table.add(
            "Flaky: lost / order violations",
            f"{lost} / {receiver.violations()}",
            "0 / 0",
            not lost and not receiver.violations(),
        )
        table.add("Flaky: POSTs received per event", f"{receipts / len(ids):.2f}")
        assert OutboundEvent.objects.count() - before == len(ids)

        # 5. Outage: the receiver is killed; changes keep coming; it comes back.
        receiver.kill()
        down_at = time.monotonic()
        committed = commit_changes(children, 2, threads=2, pace=0.02)
        time.sleep(max(0.0, options.outage - (time.monotonic() - down_at)))
        receiver.start()
        back = time.monotonic()
        drain = wait_delivered(OutboundEvent.objects.count(), timeout=600)
        got = receiver.received()
        ids = ids_by_change(committed)
        table.add(
            f"Outage of {time.monotonic() - down_at - drain:.0f} s with {len(ids):,} changes during it: "
            "receiver back to all acknowledged",
            f"{drain:.1f} s",
            "< 20 s",
            drain < 20,
        )
        lost = len([i for i in ids if i not in got])
        table.add(
            "Outage: lost / order violations (whole run)",
            f"{lost} / {receiver.violations()}",
            "0 / 0",
            not lost and not receiver.violations(),
        )
        _ = back
    finally:
        if workers:
            stop(workers)
        receiver.stop()
    table.print()
    print(f"\nSettings: {json.dumps({k: v for k, v in SETTINGS.items() if k != 'EDU_SYNC_SECRET'})}")
    print(f"Workers: {options.workers} prefork processes; receiver: reference receiver, one process")


if __name__ == "__main__":
    main()
