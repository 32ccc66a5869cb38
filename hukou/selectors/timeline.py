"""A person's (or household's) whole timeline: every kept change, with who, when, which case, why.

Built from django-simple-history records of Person, Household, Address and Guardianship, plus
the case transitions and change events concerning the person. Each source is one query, so a
timeline costs the same number of queries however long it is; diffs are computed in Python
between consecutive historical records of the same row. The queries are unordered on purpose:
the entries are sorted in Python anyway, and the history models' default ordering cost a
quarter of the timeline's time in Django's SQL compiler (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from hukou.models import Address, CaseTransition, ChangeEvent, Guardianship, Household, Person

# Bookkeeping columns whose changes say nothing to a clerk.
_SILENT_FIELDS = {"id", "version", "created_at", "updated_at"}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    source: str  # person, household, address, guardianship, case, event
    title: str
    actor: str = ""
    reason: str = ""
    case_number: str = ""
    changes: list[Change] = field(default_factory=list)


def _actor(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", None) or user.get_username()


@functools.cache
def _tracked_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in _SILENT_FIELDS]


def _shown(model_field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(_choices(model_field).get(value, value))
    if model_field.is_relation:
        return names.get((model_field.name, value), f"#{value}")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@functools.cache
def _choices(model_field) -> dict:
    return dict(model_field.flatchoices)


def _diff(model, before, after, names: dict) -> list[Change]:
    changes = []
    for model_field in _tracked_fields(model):
        old, new = getattr(before, model_field.attname), getattr(after, model_field.attname)
        if old != new:
            changes.append(
                Change(str(model_field.verbose_name), _shown(model_field, old, names), _shown(model_field, new, names))
            )
    return changes


def _history_entries(model, records: Iterable, source: str, noun: str, names: dict) -> list[TimelineEntry]:
    """Turn historical records (any order) into entries, each with its diff to the previous
    record of the same row."""
    entries, previous = [], {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        earlier = previous.get(record.id)
        changes = _diff(model, earlier, record, names) if earlier is not None else []
        previous[record.id] = record
        if earlier is not None and not changes and not record.history_change_reason:
            continue  # a save that changed nothing visible (a version bump)
        title = {
            "+": _("%(noun)s created") % {"noun": noun},
            "~": _("%(noun)s changed") % {"noun": noun},
            "-": _("%(noun)s deleted") % {"noun": noun},
        }[record.history_type]
        entries.append(
            TimelineEntry(
                at=record.history_date,
                source=source,
                title=f"{title} · {_label(source, record)}",
                actor=_actor(record.history_user),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _label(source: str, record) -> str:
    if source == "household":
        return record.number
    if source == "person":
        return record.name
    if source == "guardianship":
        return f"{record.guardian.name} → {record.child.name}"
    return f"{record.road}{record.number}{record.number_suffix}号"


def _case_entries(transitions: Iterable[CaseTransition]) -> list[TimelineEntry]:
    from hukou.models import Case

    statuses = dict(Case.Status.choices)
    return [
        TimelineEntry(
            at=t.at,
            source="case",
            title=f"{t.case.business_type.name} · {statuses.get(t.to_status, t.to_status)}",
            actor=_actor(t.actor),
            reason=t.note,
            case_number=t.case.number,
        )
        for t in transitions
    ]


def _event_entries(events: Iterable[ChangeEvent]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=e.occurred_at,
            source="event",
            title=e.get_kind_display(),
            actor=_actor(e.actor),
            case_number=e.case.number if e.case_id else "",
            changes=[
                Change(str(name), str(values.get("before", "—")), str(values.get("after", "—")))
                for name, values in (e.changes or {}).items()
                if isinstance(values, dict)
            ],
        )
        for e in events
    ]


def _newest_first(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: e.at, reverse=True)


def person_timeline(*, person: Person) -> list[TimelineEntry]:
    """Every kept change concerning ``person``, newest first, in six queries.

    The caller must already have checked that the user may see ``person``.
    """
    person_rows = list(Person.history.filter(id=person.pk).select_related("history_user").order_by())
    household_ids = {row.household_id for row in person_rows} | {person.household_id}
    household_rows = list(Household.history.filter(id__in=household_ids).select_related("history_user").order_by())
    address_ids = {row.address_id for row in household_rows}
    address_rows = list(Address.history.filter(id__in=address_ids).select_related("history_user").order_by())
    guardianship_rows = (
        Guardianship.history.filter(Q(child_id=person.pk) | Q(guardian_id=person.pk))
        .select_related("history_user", "guardian", "child")
        .order_by()
    )
    transitions = (
        CaseTransition.objects.filter(case__person_id=person.pk)
        .select_related("case__business_type", "actor")
        .order_by()
    )
    events = ChangeEvent.objects.filter(person_id=person.pk).select_related("case", "actor").order_by()
    names = {("household", row.id): row.number for row in household_rows}
    entries = (
        _history_entries(Person, person_rows, "person", _("Person"), names)
        + _history_entries(Household, household_rows, "household", _("Household"), names)
        + _history_entries(Address, address_rows, "address", _("Address"), names)
        + _history_entries(Guardianship, guardianship_rows, "guardianship", _("Guardianship"), names)
        + _case_entries(transitions)
        + _event_entries(events)
    )
    return _newest_first(entries)


def household_timeline(*, household: Household) -> list[TimelineEntry]:
    """Changes of the household row, its address and every person ever registered in it,
    newest first, in three queries."""
    household_rows = list(Household.history.filter(id=household.pk).select_related("history_user").order_by())
    address_ids = {row.address_id for row in household_rows} | {household.address_id}
    address_rows = Address.history.filter(id__in=address_ids).select_related("history_user").order_by()
    person_rows = Person.history.filter(household_id=household.pk).select_related("history_user").order_by()
    names = {("household", household.pk): household.number}
    entries = (
        _history_entries(Household, household_rows, "household", _("Household"), names)
        + _history_entries(Address, address_rows, "address", _("Address"), names)
        + _history_entries(Person, person_rows, "person", _("Person"), names)
    )
    return _newest_first(entries)
