"""The pull feed's version: stamped after commit, by one relay at a time, so it never skips.

Why not the primary key: PostgreSQL hands out sequence values at insert time but transactions
commit in any order, so a reader that saw id 11 may later find id 10 appear. A client that saved
"last seen = 11" would never get 10. Here a row gets its ``feed_version`` only once it is
committed and visible, from a stamper holding a transaction-scoped advisory lock: stampers run
one after another, each sees everything the previous one committed, and versions are handed out
in increasing order. A reader therefore only ever sees a prefix 1..N of versions, with no holes
that fill in later.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Max

from schoolsync.models import OutboundEvent
from schoolsync.services.delivery import BUILD_ERROR

# Arbitrary but fixed key of the advisory lock held while stamping ("FEED" in ASCII).
FEED_LOCK_KEY = 0x46454544


def outbound_feed_stamp(*, limit: int = 5000) -> int:
    """Give feed versions to committed outbound rows that have none, oldest id first. Safe to
    call from any number of workers and web processes at once. Returns how many were stamped."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])
        pending = list(
            OutboundEvent.objects.filter(feed_version__isnull=True)
            .exclude(payload__has_key=BUILD_ERROR)  # parked unbuilt: nothing to publish
            .order_by("id")
            .values_list("pk", flat=True)[:limit]
        )
        if not pending:
            return 0
        version = OutboundEvent.objects.aggregate(top=Max("feed_version"))["top"] or 0
        rows = [OutboundEvent(pk=pk, feed_version=version + offset) for offset, pk in enumerate(pending, start=1)]
        OutboundEvent.objects.bulk_update(rows, ["feed_version"], batch_size=1000)
    return len(rows)
