"""Operational tasks of the shared kernel."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "hukou:worker-heartbeat"


@shared_task(name="common.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> str:
    """Record that a worker is alive and consuming; beat sends it every minute and /healthz/
    reports its age, so a dead worker pool shows up before the sync backlog does."""
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, stamp, timeout=None)
    return stamp
