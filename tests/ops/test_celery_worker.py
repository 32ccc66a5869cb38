"""A real Celery worker process on Redis runs a task end to end."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache

from common.tasks import HEARTBEAT_KEY, worker_heartbeat

pytestmark = [pytest.mark.redis]


def test_a_real_worker_consumes_a_task_from_redis(db, tmp_path):
    cache.delete(HEARTBEAT_KEY)
    env = {**os.environ, "REDIS_URL": settings.REDIS_URL}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            "celery",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        worker_heartbeat.delay()
        deadline = time.monotonic() + 60
        while cache.get(HEARTBEAT_KEY) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert cache.get(HEARTBEAT_KEY) is not None, (tmp_path / "worker.log").read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
