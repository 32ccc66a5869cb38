"""Celery tasks of the school sync: deliver on commit, sweep what was missed, reconcile nightly."""

from celery import shared_task
from django.conf import settings

from schoolsync.services.delivery import outbound_backfill, outbound_deliver_chain, outbound_due_ids
from schoolsync.services.relay import outbound_feed_stamp


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
