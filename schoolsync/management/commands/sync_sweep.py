"""Run the school sync sweeper once, in this process (embedded default, or by hand in operations)."""

from django.core.management.base import BaseCommand

from schoolsync.services.delivery import outbound_backfill, outbound_deliver_batch
from schoolsync.services.relay import outbound_feed_stamp


class Command(BaseCommand):
    help = "Backfill missing outbound rows, stamp feed versions and deliver every event that is due now."

    def handle(self, *args, **options) -> None:
        backfilled, stamped = outbound_backfill(), outbound_feed_stamp()
        claimed_total, full = 0, True
        while full:
            claimed, full = outbound_deliver_batch()
            claimed_total += claimed
        self.stdout.write(f"backfilled {backfilled}, stamped {stamped}, attempted {claimed_total}")
