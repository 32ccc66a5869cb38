"""The personal-data access log. Writing is the only operation it supports."""

from __future__ import annotations

import re
from collections.abc import Iterable

from common.idnumber import mask_id_number
from hukou.models import AccessLog, Person

# An ID number typed into a search must not be kept in full in a log that can never be edited.
_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def access_log_record(
    *,
    request=None,
    user=None,
    action: str,
    target: str,
    purpose: str,
    person=None,
    persons: Iterable[Person] | None = None,
    station_id: int | None = None,
) -> AccessLog:
    """Append an access-log entry for a view, search, lookup, print or export of personal data.

    - ``user``: the request's user when not given; None for the public (verification page) and
      the education system's client, which are no users of ours.
    - Station: the user's own station; for users without one (school staff, parents, system
      administrators, the public) ``station_id`` or the station of the persons viewed, so the
      owning station's admin sees who looked at its residents. Persons of several stations (a
      pull-feed page) give one entry per station.
    - ``persons``: everyone a household or list view showed, kept with the entry. Returns the
      (first) entry.
    """
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and (not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None):
        user = None
    people = list(dict.fromkeys([*([person] if person is not None else []), *(persons or [])]))
    common = {
        "user": user,
        "action": action,
        "target": _ID_NUMBER.sub(lambda match: mask_id_number(match.group().upper()), target)[:255],
        "purpose": purpose[:128],
        "ip_address": request.META.get("REMOTE_ADDR") if request is not None else None,
    }
    station_id = getattr(user, "station_id", None) or station_id
    if not station_id and len(people) == 1:
        station_id = people[0].household.station_id  # usually loaded with the person already
    groups = {station_id: people} if station_id or not people else _by_station(people)
    entries = [_write(common, station, group, listed=persons is not None) for station, group in groups.items()]
    return entries[0]


def _write(common: dict, station_id: int | None, people: list[Person], *, listed: bool) -> AccessLog:
    """One entry; the persons of a list or household view are kept with it (one INSERT, also for
    a single member, so a view's query count does not depend on its size)."""
    entry = AccessLog.objects.create(person=people[0] if len(people) == 1 else None, station_id=station_id, **common)
    if listed and people:
        through = AccessLog.persons.through
        through.objects.bulk_create([through(accesslog_id=entry.pk, person_id=someone.pk) for someone in people])
    return entry


def _by_station(people: list[Person]) -> dict[int | None, list[Person]]:
    """The persons grouped by their station, in one query."""
    stations = dict(Person.objects.filter(pk__in=[p.pk for p in people]).values_list("pk", "household__station_id"))
    groups: dict[int | None, list[Person]] = {}
    for someone in people:
        groups.setdefault(stations.get(someone.pk), []).append(someone)
    return groups
