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
      administrators, the public) ``station_id`` or the station of the person viewed, so the
      owning station's admin sees who looked at its residents.
    - ``persons``: a household view names every member it showed: one row per person (all in
      one INSERT); the first row is returned.
    """
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and (not getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is None):
        user = None
    people = list(persons) if persons is not None else []
    if person is not None and person not in people:
        people.insert(0, person)
    station_id = getattr(user, "station_id", None) or station_id
    common = {
        "user": user,
        "action": action,
        "target": _ID_NUMBER.sub(lambda match: mask_id_number(match.group().upper()), target)[:255],
        "purpose": purpose[:128],
        "ip_address": request.META.get("REMOTE_ADDR") if request is not None else None,
    }
    if len(people) <= 1:
        person = people[0] if people else None
        station_id = station_id or (person.household.station_id if person is not None else None)
        return AccessLog.objects.create(person=person, station_id=station_id, **common)
    stations = {} if station_id else _stations_of(people)
    rows = [AccessLog(person=p, station_id=station_id or stations.get(p.pk), **common) for p in people]
    return AccessLog.objects.bulk_create(rows)[0]


def _stations_of(people: list[Person]) -> dict[int, int]:
    """Each person's station in one query (a pull-feed page spans stations)."""
    return dict(Person.objects.filter(pk__in=[p.pk for p in people]).values_list("pk", "household__station_id"))
