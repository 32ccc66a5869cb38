"""Run the school sync sweeper once, in this process (embedded default, or by hand in operations)."""

from django.core.management.base import BaseCommand

from schoolsync.services.delivery import outbound_backfill
from schoolsync.services.dispatch import outbound_dispatch
from schoolsync.services.relay import outbound_feed_stamp

# Stop after this long even if a huge backlog is still draining (run the command again).
BUDGET_SECONDS = 300


class Command(BaseCommand):
    help = "Backfill missing outbound rows, stamp feed versions and deliver every event that is due now."

    def handle(self, *args, **options) -> None:
        backfilled, stamped = outbound_backfill(), outbound_feed_stamp()
        result = outbound_dispatch(budget=BUDGET_SECONDS)
        self.stdout.write(
            f"backfilled {backfilled}, stamped {stamped}, attempted {result.attempted}, delivered {result.delivered}"
        )
