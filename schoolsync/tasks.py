"""Celery tasks of the school sync: deliver on commit, sweep what was missed, reconcile nightly."""

import datetime as dt
import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from common.scheduled import scheduled_run
from schoolsync.services.delivery import (
    DELIVER_TASK,
    kick_clear,
    outbound_backfill,
    outbound_due_ids,
    outbound_kick,
)
from schoolsync.services.dispatch import outbound_dispatch
from schoolsync.services.reconciliation import sync_report_build
from schoolsync.services.relay import outbound_feed_stamp

logger = logging.getLogger(__name__)
# A task stops after this long so a huge backlog does not pin one worker; it queues a successor.
TASK_BUDGET_SECONDS = 20
# A task with nothing due stays for a retry due within this many seconds instead of waiting for
# the sweeper (backoffs of a flaky receiver are short).
IDLE_WAIT_SECONDS = 5
# Keys that keep at most one helper and one breaker probe queued at a time.
HELPER_KEY = "schoolsync:delivery-helper"
PROBE_KEY = "schoolsync:delivery-probe"


@shared_task(name=DELIVER_TASK, ignore_result=True)
def deliver() -> int:
    """Deliver until nothing is due (see ``outbound_dispatch``). A task that found a backlog
    brings in one helper (another worker process); one whose budget ran out queues a successor;
    one stopped by the circuit breaker queues a single probe for when the pause ends. Idempotent:
    leases are exclusive, an extra task finds nothing. Returns how many POSTs it made."""
    kick_clear()
    eager = _eager()
    result = outbound_dispatch(budget=TASK_BUDGET_SECONDS, idle_wait=0 if eager else IDLE_WAIT_SECONDS)
    if eager:
        return result.attempted  # embedded default: queued tasks run inline, nothing to spread
    if result.breaker_open_until:
        countdown = max(0.05, result.breaker_open_until - time.time())
        if _once(PROBE_KEY, countdown):
            deliver.apply_async(countdown=countdown)
    elif result.more or (result.busy and _once(HELPER_KEY, 2)):
        deliver.delay()
    return result.attempted


def _once(key: str, seconds: float) -> bool:
    try:
        return bool(cache.add(key, 1, timeout=max(1, int(seconds))))
    except Exception:  # Redis trouble: better one task too many than a stalled queue
        return True


def _eager() -> bool:
    # Embedded default: "queued" tasks run inline, so helpers would only nest, not parallelise.
    return bool(deliver.app.conf.task_always_eager)


@shared_task(name="schoolsync.sweep", ignore_result=True)
@scheduled_run("schoolsync.sweep", count="due")
def sweep() -> int:
    """Beat, every EDU_SYNC_SWEEP_INTERVAL: backfill missing rows, stamp the feed, and queue
    delivery tasks if anything is due (broker was down at commit, worker killed mid-delivery,
    retry time reached). At most one delivery task is queued at a time (the kick key); a running
    one picks new work up by itself. An extra task is harmless: claims are exclusive."""
    outbound_backfill()
    outbound_feed_stamp()
    if not settings.EDU_SYNC_URL:
        return 0  # no receiver configured: events stay pending, visible in the admin
    due = len(outbound_due_ids(limit=100))
    if due:
        outbound_kick()  # one queued task at most; a running task also picks these up
    return due


@shared_task(name="schoolsync.reconciliation_report", ignore_result=True)
@scheduled_run("schoolsync.reconciliation_report", count="report_id")
def reconciliation_report() -> int:
    """Beat, nightly: reconcile yesterday's changes and warn when anything needs a person."""
    report = sync_report_build(day=timezone.localdate() - dt.timedelta(days=1))
    if report.parked or report.exhausted or report.missing:
        logger.warning(
            "School sync %s: %s parked, %s exhausted, %s change events without outbound row (see admin)",
            report.day,
            report.parked,
            report.exhausted,
            report.missing,
        )
    return report.pk
