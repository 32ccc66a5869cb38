"""Print (and store) the school sync reconciliation report of one day."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from schoolsync.services.reconciliation import sync_report_build

COLUMNS = ["created", "delivered", "pending", "parked", "exhausted", "attempts", "missing"]


class Command(BaseCommand):
    help = "Reconcile one day of school sync: events created, acknowledged, pending, parked, exhausted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="Day to report, YYYY-MM-DD (default: yesterday).")

    def handle(self, *args, date=None, **options) -> None:
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate() - dt.timedelta(days=1)
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD: {exc}") from exc
        report = sync_report_build(day=day)
        self.stdout.write(f"School sync reconciliation for {day}")
        for column in COLUMNS:
            self.stdout.write(f"  {column:<10} {getattr(report, column):>8}")
        if report.parked or report.exhausted or report.missing:
            self.stdout.write(self.style.WARNING("Parked, exhausted or missing events need attention (admin)."))
