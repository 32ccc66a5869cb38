"""The personal-data access log. Writing is the only operation it supports.

One helper for every view, search, lookup, print and export: callers name the row they showed
(``subject``) and the service derives the target key and the person from it, so no caller
builds a target string for a registry row. Searches and lookups, which have no row, pass their
terms as ``target``; any ID number in it is masked here, once, before it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from common.idnumber import mask_id_number
from hukou.models import AccessLog, ArchivePage, Certificate, Household, Person

if TYPE_CHECKING:
    from hukou.policy import Actor

# An ID number typed into a search must not be kept in full in a log that can never be edited.
_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def access_target(subject) -> str:
    """The log's key of a row: ``person:12``, ``household:3``, ``case:7``, ``archive:5``,
    ``certificate:<serial>``; ``<model>:<pk>`` for anything else."""
    if isinstance(subject, Certificate):
        return f"certificate:{subject.serial}"
    if isinstance(subject, ArchivePage):
        return f"archive:{subject.pk}"
    return f"{subject._meta.model_name}:{subject.pk}"


def _person_id_of(subject) -> int | None:
    if isinstance(subject, Person):
        return subject.pk
    if isinstance(subject, Household):
        return None
    return getattr(subject, "person_id", None)


def _station_of_subject(subject) -> int | None:
    if isinstance(subject, Household):
        return subject.station_id
    return getattr(subject, "station_id", None)


def access_log_record(
    *,
    actor: Actor | None,
    action: str,
    purpose: str,
    subject=None,
    aspect: str = "",
    target: str = "",
    person: Person | None = None,
    persons: Iterable[Person] | None = None,
    station_id: int | None = None,
    client_address: str | None = None,
) -> AccessLog:
    """Append an access-log entry for a view, search, lookup, print or export of personal data.

    - ``subject``: the row shown (its key and person are derived; ``aspect`` is appended to the
      key, e.g. ``timeline``). Without a row, ``target`` says what was asked (search terms,
      masked here).
    - ``actor``: None (or an anonymous user) for the public (verification page) and the
      education system's client, which are no users of ours.
    - Station: the actor's own station; for actors without one (school staff, parents, system
      administrators, the public) ``station_id``, the subject's station or the station of the
      persons viewed, so the owning station's admin sees who looked at its residents. Persons of
      several stations (a pull-feed page) give one entry per station.
    - ``persons``: everyone a household or list view showed, kept with the entry.
    - ``client_address``: the caller's address (``common.http.client_address``).

    Returns the (first) entry."""
    if actor is not None and (not getattr(actor, "is_authenticated", False) or getattr(actor, "pk", None) is None):
        actor = None
    person_id = person.pk if person is not None else None
    if subject is not None:
        target = access_target(subject) + (f":{aspect}" if aspect else "")
        person_id = person_id or _person_id_of(subject)
        station_id = station_id or _station_of_subject(subject)
        if person is None and isinstance(subject, Person):
            person = subject
    people = list(dict.fromkeys([*([person_id] if person_id is not None else []), *(p.pk for p in persons or [])]))
    common = {
        "user": actor,
        "action": action,
        "target": _ID_NUMBER.sub(lambda match: mask_id_number(match.group().upper()), target)[:255],
        "purpose": purpose[:128],
        "ip_address": client_address or None,
    }
    station_id = getattr(actor, "station_id", None) or station_id
    if not station_id and len(people) == 1 and person is not None:
        station_id = person.household.station_id  # usually loaded with the person already
    groups = {station_id: people} if station_id or not people else _by_station(people)
    entries = [_write(common, station, group, listed=persons is not None) for station, group in groups.items()]
    return entries[0]


def _write(common: dict, station_id: int | None, people: list[int], *, listed: bool) -> AccessLog:
    """One entry; the persons of a list or household view are kept with it (one INSERT, also for
    a single member, so a view's query count does not depend on its size)."""
    entry = AccessLog.objects.create(person_id=people[0] if len(people) == 1 else None, station_id=station_id, **common)
    if listed and people:
        through = AccessLog.persons.through
        through.objects.bulk_create([through(accesslog_id=entry.pk, person_id=pk) for pk in people])
    return entry


def _by_station(people: list[int]) -> dict[int | None, list[int]]:
    """The persons (ids) grouped by their station, in one query."""
    stations = dict(Person.objects.filter(pk__in=people).values_list("pk", "household__station_id"))
    groups: dict[int | None, list[int]] = {}
    for pk in people:
        groups.setdefault(stations.get(pk), []).append(pk)
    return groups
