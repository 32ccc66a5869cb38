"""Reading the personal-data access log (station admins: their station; system admins: all)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from hukou.models import AccessLog
from hukou.visibility import station_filter


def access_log_list(
    *,
    user,
    user_id: int | None = None,
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AccessLog]:
    """Entries the reader may see, newest first, narrowed by who, what and which days
    (``date_to`` inclusive). One query with the user joined."""
    entries = AccessLog.objects.filter(station_filter(user, "station")).select_related("user", "person")
    if user_id:
        entries = entries.filter(user_id=user_id)
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries.order_by("-at", "-pk")
