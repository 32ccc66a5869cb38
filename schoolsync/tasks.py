"""Celery tasks of the school sync: deliver on commit, sweep what was missed, reconcile nightly."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from schoolsync.services.delivery import outbound_backfill, outbound_deliver_chain, outbound_due_ids
from schoolsync.services.reconciliation import sync_report_build
from schoolsync.services.relay import outbound_feed_stamp

logger = logging.getLogger(__name__)


@shared_task(name="schoolsync.deliver", ignore_result=True)
def deliver(outbound_id: int) -> int:
    """Deliver one event (and the same child's next ones); a no-op if another worker has it."""
    return outbound_deliver_chain(outbound_id=outbound_id)


@shared_task(name="schoolsync.sweep", ignore_result=True)
def sweep() -> int:
    """Beat, every EDU_SYNC_SWEEP_INTERVAL: backfill missing rows, stamp the feed, and queue every
    due event (broker was down at commit, worker killed mid-delivery, retry time reached).
    Queueing an id twice is harmless: only one worker can claim it."""
    outbound_backfill()
    outbound_feed_stamp()
    if not settings.EDU_SYNC_URL:
        return 0  # no receiver configured: events stay pending, visible in the admin
    due = outbound_due_ids()
    for outbound_id in due:
        deliver.delay(outbound_id)
    return len(due)


@shared_task(name="schoolsync.reconciliation_report", ignore_result=True)
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
