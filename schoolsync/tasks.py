"""Celery tasks of the school sync: deliver on commit, sweep what was missed, reconcile nightly."""

import datetime as dt
import logging
import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from common.scheduled import scheduled_run
from schoolsync.services.delivery import (
    BATCH_SIZE,
    kick_clear,
    outbound_backfill,
    outbound_deliver_batch,
    outbound_due_ids,
)
from schoolsync.services.reconciliation import sync_report_build
from schoolsync.services.relay import outbound_feed_stamp

logger = logging.getLogger(__name__)
# At most this many delivery tasks queued per sweep (each one brings in more if the batch is full).
SWEEP_FAN_OUT = 4


# A task stops after this long so a huge backlog does not pin one worker; it queues a successor.
TASK_BUDGET_SECONDS = 20


@shared_task(name="schoolsync.deliver", ignore_result=True)
def deliver() -> int:
    """Deliver batches until nothing is deliverable. After its first full batch a task queues one
    more, so a backlog spreads over all worker processes; an empty claim costs one query."""
    kick_clear()
    started, total = time.monotonic(), 0
    while time.monotonic() - started < TASK_BUDGET_SECONDS:
        claimed, full = outbound_deliver_batch()
        total += claimed
        if not full:
            return total
        if total == claimed and not _eager():  # first full batch: bring in help
            deliver.delay()
    if not _eager():
        deliver.delay()  # budget spent with work left: a successor carries on
    return total


def _eager() -> bool:
    # Embedded default: "queued" tasks run inline, so helpers would only nest, not parallelise.
    return bool(deliver.app.conf.task_always_eager)


@shared_task(name="schoolsync.sweep", ignore_result=True)
@scheduled_run("schoolsync.sweep", count="due")
def sweep() -> int:
    """Beat, every EDU_SYNC_SWEEP_INTERVAL: backfill missing rows, stamp the feed, and queue
    delivery tasks if anything is due (broker was down at commit, worker killed mid-delivery,
    retry time reached). An extra task is harmless: claims are exclusive."""
    outbound_backfill()
    outbound_feed_stamp()
    if not settings.EDU_SYNC_URL:
        return 0  # no receiver configured: events stay pending, visible in the admin
    due = len(outbound_due_ids(limit=BATCH_SIZE * SWEEP_FAN_OUT))
    for _ in range(min(SWEEP_FAN_OUT, -(-due // BATCH_SIZE))):
        deliver.delay()
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
