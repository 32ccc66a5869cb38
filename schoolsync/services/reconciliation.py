"""Nightly reconciliation of the school sync: what was created, sent, acknowledged, parked."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from hukou.models import ChangeEvent
from schoolsync.models import OutboundEvent, SyncReport
from schoolsync.services.delivery import school_age_q

Status = OutboundEvent.Status


def _day_window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def sync_report_build(*, day: dt.date) -> SyncReport:
    """Count the events of the changes made on ``day`` (local time) by their status now, the POSTs
    made for them, and change events of school-age children of that day that have no outbound
    row (must be 0).
    Idempotent: running it again for the same day replaces that day's report."""
    start, end = _day_window(day)
    counts = OutboundEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end).aggregate(
        created=Count("id"),
        delivered=Count("id", filter=Q(status=Status.DELIVERED)),
        pending=Count("id", filter=Q(status=Status.PENDING)),
        parked=Count("id", filter=Q(status=Status.PARKED)),
        exhausted=Count("id", filter=Q(status=Status.EXHAUSTED)),
        attempts=Sum("attempts"),
    )
    counts["attempts"] = counts["attempts"] or 0
    # Adults have no outbound row on purpose: only changes of school-age children can be missing.
    counts["missing"] = (
        ChangeEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end, outbound__isnull=True)
        .filter(school_age_q(on=day, prefix="person__"))
        .count()
    )
    with transaction.atomic():
        report, _created = SyncReport.objects.update_or_create(
            day=day, defaults={**counts, "generated_at": timezone.now()}
        )
    return report
