"""Real processes for the school sync tests: the reference receiver and a Celery worker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from hukou.codes import Relationship
from hukou.models import ChangeEvent
from hukou.services.events import change_event_record
from schoolsync.services.breaker import breaker_reset
from schoolsync.services.delivery import KICK_KEY
from tests.factories import PersonFactory

SECRET = "test-shared-secret"


def free_port() -> int:
    """A port the kernel picks from its ephemeral range, so two test runs on one machine do not
    race for the same fixed port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, timeout: float = 20.0, interval: float = 0.1, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")


class Receiver:
    """The reference receiver as its own process (run_edu_receiver)."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/events"
        self.store = directory / "receiver.sqlite3"
        self.log = directory / "receiver.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_edu_receiver",
                "--port",
                str(self.port),
                "--secret",
                SECRET,
                "--store",
                str(self.store),
            ],
            cwd=settings.BASE_DIR,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._up, message=f"receiver did not start: {self.log.read_text()}")

    def _up(self) -> bool:
        try:
            return requests.get(self._base("/_stats"), timeout=1).ok
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def _base(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def control(self, mode: str, **extra) -> None:
        requests.post(self._base("/_control"), json={"mode": mode, **extra}, timeout=5).raise_for_status()

    def faults(self, **faults) -> dict:
        """Random faults (fail_rate, slow_rate, slow_delay, drop_rate, outage, refuse_ids)."""
        answer = requests.post(self._base("/_control"), json=faults, timeout=5)
        answer.raise_for_status()
        return answer.json()

    def events(self) -> list[dict]:
        return requests.get(self._base("/_events"), timeout=5).json()["events"]

    def stats(self) -> dict:
        return requests.get(self._base("/_stats"), timeout=5).json()

    def receipts(self, event_id) -> int:
        return requests.get(self._base(f"/_receipts/{event_id}"), timeout=5).json()["receipts"]


@pytest.fixture
def receiver(tmp_path):
    server = Receiver(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sync_settings(settings, receiver):
    """Small timeouts, backoff and lease so every fault test runs in seconds."""
    settings.EDU_SYNC_URL = receiver.url
    settings.EDU_SYNC_SECRET = SECRET
    settings.EDU_SYNC_CONNECT_TIMEOUT = 0.5
    settings.EDU_SYNC_READ_TIMEOUT = 1.0
    settings.EDU_SYNC_BACKOFF_BASE = 0.2
    settings.EDU_SYNC_BACKOFF_MAX = 1.0
    settings.EDU_SYNC_LEASE = 3.0
    breaker_reset()
    return settings


@pytest.fixture
def east_pupil(east_household, east_head):
    """A second school-age child of the east household (the head is an adult: never sent)."""
    return PersonFactory(
        household=east_household,
        name="张小红",
        sex="F",
        relationship=Relationship.DAUGHTER,
        birth_date=dt.date(2017, 3, 9),
        father=east_head,
    )


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(sync_settings, **extra) -> dict:
    """The environment that gives a subprocess the test's database and sync settings."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL or "",
        "EDU_SYNC_URL": sync_settings.EDU_SYNC_URL,
        "EDU_SYNC_SECRET": SECRET,
        "EDU_SYNC_CONNECT_TIMEOUT_MS": "500",
        "EDU_SYNC_READ_TIMEOUT_MS": "1000",
        "EDU_SYNC_BACKOFF_BASE_MS": "200",
        "EDU_SYNC_BACKOFF_MAX_MS": "1000",
        "EDU_SYNC_LEASE_MS": "3000",
        "EDU_SYNC_SWEEP_INTERVAL_MS": "500",
        **extra,
    }


class Worker:
    """A real Celery worker (solo pool) with beat embedded, so the sweeper runs too."""

    def __init__(self, directory: Path, env: dict) -> None:
        self.directory, self.env = directory, env
        self.log = directory / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-B",
                "-s",
                str(self.directory / "beat"),
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                "celery",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole process group: no cleanup, no acknowledgement, like a crashed host."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def worker_factory(tmp_path, sync_settings):
    import redis

    redis.Redis.from_url(settings.REDIS_URL).delete("celery")  # stale kicks of earlier tests
    cache.delete(KICK_KEY)
    workers: list[Worker] = []

    def make(**extra) -> Worker:
        worker = Worker(tmp_path, worker_env(sync_settings, **extra))
        worker.start()
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.kill()


def change(person, *, kind=ChangeEvent.Kind.NAME_CHANGED, **fields) -> ChangeEvent:
    """Commit one registry change with its change event, the way registry services do."""
    with transaction.atomic():
        before = {name: str(getattr(person, name)) for name in fields}
        for name, value in fields.items():
            setattr(person, name, value)
        person.save()
        return change_event_record(
            kind=kind,
            person=person,
            changes={name: {"before": before[name], "after": str(value)} for name, value in fields.items()},
        )
