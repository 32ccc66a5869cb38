"""The station admin's overview: staff, overdue and stalled cases, recent access, scheduled runs.

A constant number of queries however many cases are open (asserted in
tests/hukou/test_station_overview.py). hukou knows none of the apps above it: an app that has
something to show on the overview (the windows of booking and queue) registers a section once,
in its ``AppConfig.ready``, with ``station_section_register``; hukou calls it with the station.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from common.scheduled import scheduled_runs_latest
from hukou.models import ImportJob, Station
from hukou.selectors.access import access_entries_described, access_log_list
from hukou.selectors.cases import overdue_cases, stalled_cases
from hukou.visibility import station_filter

RECENT_ACCESS = 20


@dataclass
class StationSection:
    """A panel another app adds to the overview: a heading and one line per row."""

    title: str
    rows: list[str] = field(default_factory=list)
    empty: str = ""


StationSectionSource = Callable[..., "StationSection | None"]
_sections: list[StationSectionSource] = []


def station_section_register(source: StationSectionSource) -> StationSectionSource:
    """Adds ``source`` (called as ``source(station=...)``, returns a ``StationSection`` or None);
    registering twice is a no-op. It must read only, in one or two queries."""
    if source not in _sections:
        _sections.append(source)
    return source


def station_section_unregister(source: StationSectionSource) -> None:
    if source in _sections:
        _sections.remove(source)


def station_overview(*, user, today: dt.date | None = None) -> dict:
    """Everything the station admin's start page shows, for ``user``'s station."""
    today = today or timezone.localdate()
    station = Station.objects.get(pk=user.station_id)
    staff = get_user_model().objects.filter(station_id=station.pk).order_by("role", "username")
    recent = access_log_list(user=user)[:RECENT_ACCESS]
    return {
        "station": station,
        "sections": [section for source in _sections if (section := source(station=station)) is not None],
        "staff": list(staff),
        "overdue": list(overdue_cases(user=user, today=today)),
        "stalled": stalled_cases(user=user, today=today),
        "recent_access": access_entries_described(recent),
        "scheduled_runs": scheduled_runs_latest(),
    }


def stations_visible_to(*, user):
    """The stations the user may see: their own, or every one for a system admin."""
    return Station.objects.filter(station_filter(user, "pk"))


def import_jobs_recent(*, user, limit: int = 50):
    """The station's latest import jobs with their uploader, newest first."""
    return ImportJob.objects.visible_to(user).select_related("created_by")[:limit]
