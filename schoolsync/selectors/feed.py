"""Reads of the pull feed (Ed-Fi style change queries)."""

from __future__ import annotations

from django.db.models import Max, Min

from schoolsync.models import OutboundEvent


def feed_page(*, after: int, limit: int) -> tuple[list[dict], bool]:
    """Changes with ``feed_version > after``, oldest first, at most ``limit``; and whether more
    follow. Each change is the pushed payload plus its ``version``."""
    rows = list(
        OutboundEvent.objects.filter(feed_version__gt=after)
        .order_by("feed_version")
        .values_list("feed_version", "payload")[: limit + 1]
    )
    changes = [{"version": version, **payload} for version, payload in rows[:limit]]
    return changes, len(rows) > limit


def feed_versions() -> dict:
    span = OutboundEvent.objects.filter(feed_version__isnull=False).aggregate(
        oldest=Min("feed_version"), newest=Max("feed_version")
    )
    return {"oldest_version": span["oldest"] or 0, "newest_version": span["newest"] or 0}
