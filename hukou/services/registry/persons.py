"""Persons: birth, move in and out, end and restore, corrections."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.idnumber import birth_date_of, sex_of
from common.text import pinyin_of
from hukou.codes import Relationship
from hukou.models import Address, ChangeEvent, Household, Person, Station
from hukou.services.duplicates import duplicate_suspects_flag
from hukou.services.events import change_event_record
from hukou.services.idnumbers import id_number_next, id_number_record, id_number_retire
from hukou.services.registry._shared import (
    CORRECTABLE,
    ENDED,
    _active_members,
    _check_station,
    _clean_person_fields,
    _create_person,
    _leave_household,
    _lock_household,
    _lock_households_in_order,
    _lock_person,
    _next_household_number,
    _refuse_active_id_taken,
    _refuse_ended,
    _refuse_second_head,
    _save,
)
from hukou.services.registry.households import household_create
from hukou.visibility import can_see_station

if TYPE_CHECKING:
    from hukou.policy import Actor

Kind = ChangeEvent.Kind


@transaction.atomic
def person_register_birth(
    *,
    actor: Actor,
    household_id: int,
    child: dict[str, Any],
    expected_version: int | None = None,
    case=None,
    reason: str = "",
) -> Person:
    """出生登记: adds a newborn (``child``: name, sex, birth_date, relationship, optional
    id_number, father_id, mother_id, ethnicity, native_place) to an active household of the
    actor's station. Without an ID number the child gets one now (``hukou.services.idnumbers``:
    the station's division code, birth date, a sequence code of the child's sex, check digit);
    a given one must be valid and match the birth date and sex. Flags suspected duplicates."""
    household = _lock_household(household_id, actor=actor, expected_version=expected_version)
    if household.status != Household.Status.ACTIVE:
        raise ValidationError(
            _("This household is cancelled; a birth cannot be registered in it."), code="household_cancelled"
        )
    if child.get("relationship") == Relationship.HEAD:
        _refuse_second_head(household)
    registered_on = child.get("birth_date")
    registered_on = dt.date.fromisoformat(registered_on) if isinstance(registered_on, str) else registered_on
    person = _create_person(
        household=household,
        data=child,
        registered_on=registered_on,
        actor=actor,
        case=case,
        reason=reason,
        issue_id_number=True,
    )
    _save(household, actor=actor, case=case, reason=reason)
    return person


@transaction.atomic
def person_move_in(
    *,
    actor: Actor,
    relationship: str,
    person_id: int | None = None,
    person_data: dict[str, Any] | None = None,
    household_id: int | None = None,
    address: Address | None = None,
    household_kind: str = Household.Kind.FAMILY,
    moved_in_on: dt.date | None = None,
    expected_version: int | None = None,
    case=None,
    reason: str = "",
) -> Person:
    """迁入: a person joins an existing household (``household_id``) or founds a new one at
    ``address`` as its head. The person is either new to the registry (``person_data``) or
    already in it (``person_id``: moved out earlier, or moving within the station). Resets
    落户时间 to ``moved_in_on``. Refuses a second head, a deceased or cancelled person, and a
    person still registered at another station."""
    moved_in_on = moved_in_on or timezone.localdate()
    if (person_id is None) == (person_data is None):
        raise ValidationError(_("Give either an existing person or the new person's details."), code="person_required")
    if household_id is None:
        if address is None:
            raise ValidationError(_("Choose the household or the address to move into."), code="target_required")
        if relationship != Relationship.HEAD:
            raise ValidationError(
                _("A person founding a new household becomes its head (户主)."), code="relationship_invalid"
            )
        return _move_into_new_household(
            actor=actor, person_id=person_id, person_data=person_data, address=address, kind=household_kind,
            moved_in_on=moved_in_on, case=case, reason=reason,
        )  # fmt: skip
    if person_id is not None:
        current_id = Person.objects.filter(pk=person_id).values_list("household_id", flat=True).first()
        _lock_households_in_order(household_id, current_id)
    household = _lock_household(household_id, actor=actor, expected_version=expected_version)
    if household.status != Household.Status.ACTIVE:
        raise ValidationError(_("This household is cancelled; nobody can move into it."), code="household_cancelled")
    if relationship == Relationship.HEAD:
        _refuse_second_head(household)
    if person_data is not None:
        person = _create_person(
            household=household,
            data={**person_data, "relationship": relationship},
            registered_on=moved_in_on,
            actor=actor,
            case=case,
            reason=reason,
        )
    else:
        person = _move_existing(
            actor=actor, person_id=person_id, household=household, relationship=relationship,
            moved_in_on=moved_in_on, case=case, reason=reason,
        )  # fmt: skip
    _save(household, actor=actor, case=case, reason=reason)
    return person


def _move_into_new_household(*, actor, person_id, person_data, address, kind, moved_in_on, case, reason) -> Person:
    if person_data is not None:
        household = household_create(
            actor=actor, address=address, head=person_data, kind=kind, registered_on=moved_in_on, case=case,
            reason=reason,
        )  # fmt: skip
        return _active_members(household).get()
    person = Person.objects.get(pk=person_id)
    _refuse_ended_or_foreign(person, actor=actor)
    station = Station.objects.select_for_update().get(pk=address.community.station_id)
    _check_station(actor, station.pk)
    household = Household(number=_next_household_number(station), kind=kind, address=address, station=station)
    _save(household, actor=actor, case=case, reason=reason, bump=False)
    return _move_existing(
        actor=actor, person_id=person_id, household=household, relationship=Relationship.HEAD,
        moved_in_on=moved_in_on, case=case, reason=reason,
    )  # fmt: skip


def _refuse_ended_or_foreign(person: Person, *, actor) -> None:
    if person.status in ENDED:
        _refuse_ended(person)
    elsewhere = not can_see_station(actor, person.household.station_id)
    if person.status == Person.Status.ACTIVE and elsewhere:
        raise ValidationError(
            _("%(name)s is still registered at another police station and must move out there first.")
            % {"name": person.name},
            code="registered_elsewhere",
        )


def _move_existing(*, actor, person_id, household, relationship, moved_in_on, case, reason) -> Person:
    _refuse_ended_or_foreign(Person.objects.get(pk=person_id), actor=actor)
    if Person.objects.filter(pk=person_id, status=Person.Status.ACTIVE).exists():
        _, person = _lock_person(person_id, actor=actor)  # a move within the station: lock the old household too
    else:
        person = Person.objects.select_for_update().get(pk=person_id)
    _refuse_ended_or_foreign(person, actor=actor)  # again, now that the row is locked
    if person.household_id == household.pk and person.status == Person.Status.ACTIVE:
        raise ValidationError(_("This person is already registered in this household."), code="already_member")
    was_active = person.status == Person.Status.ACTIVE
    previous_address = person.household.address
    before = {"household": person.household.number, "address": previous_address.full_text}
    if was_active:
        _leave_household(person, actor=actor, case=case, reason=reason)
    _refuse_active_id_taken(person.id_number, except_pk=person.pk)
    person.household, person.relationship, person.status = household, relationship, Person.Status.ACTIVE
    person.registered_at_address_on, person.moved_to = moved_in_on, ""
    _save(person, actor=actor, case=case, reason=reason)
    after = {"household": household.number, "address": household.address.full_text}
    changes = {key: {"before": before[key], "after": after[key]} for key in before}
    kind = Kind.ADDRESS_CHANGED if was_active else Kind.PERSON_ADDED
    change_event_record(
        kind=kind,
        person=person,
        household=household,
        changes=changes,
        case=case,
        actor=actor,
        previous_address=previous_address,
    )
    return person


@transaction.atomic
def person_move_out(
    *,
    actor: Actor,
    person_id: int,
    destination: str,
    expected_version: int | None = None,
    case=None,
    reason: str = "",
) -> Person:
    """迁出: ends an active person's registration here and records where they moved to. A head
    may only move out last (the household is then cancelled). Refuses deceased persons."""
    destination = (destination or "").strip()
    if not destination:
        raise ValidationError(_("Enter where the person is moving to."), code="destination_required")
    household, person = _lock_person(person_id, actor=actor, expected_version=expected_version)
    _refuse_ended(person)
    _leave_household(person, actor=actor, case=case, reason=reason)
    person.status, person.moved_to = Person.Status.MOVED_OUT, destination[:128]
    _save(person, actor=actor, case=case, reason=reason)
    change_event_record(
        kind=Kind.PERSON_ENDED,
        person=person,
        household=household,
        changes={
            "status": {"before": "active", "after": "moved_out"},
            "moved_to": {"before": "", "after": destination},
        },
        case=case,
        actor=actor,
    )
    return person


@transaction.atomic
def person_end(
    *,
    actor: Actor,
    person_id: int,
    status: str,
    expected_version: int | None = None,
    case=None,
    reason: str = "",
) -> Person:
    """死亡注销 / 户口注销: ends an active person as deceased or cancelled. A head may only end
    last (the household is then cancelled). A reason is required."""
    if status not in ENDED:
        raise ValidationError(_("A registration ends as deceased or cancelled."), code="status_invalid")
    if not reason.strip():
        raise ValidationError(_("Give the reason for ending this registration."), code="reason_required")
    household, person = _lock_person(person_id, actor=actor, expected_version=expected_version)
    _refuse_ended(person)
    _leave_household(person, actor=actor, case=case, reason=reason)
    person.status = status
    _save(person, actor=actor, case=case, reason=reason)
    change_event_record(
        kind=Kind.PERSON_ENDED,
        person=person,
        household=household,
        changes={"status": {"before": "active", "after": status}},
        case=case,
        actor=actor,
    )
    return person


@transaction.atomic
def person_restore(
    *,
    actor: Actor,
    person_id: int,
    reason: str,
    expected_version: int | None = None,
    case=None,
) -> Person:
    """户口恢复: reverses a death or cancellation registered in error. The person returns to their
    household (re-activated if it had been cancelled with them). Refuses if another active person
    now holds the ID number, or if the person was head and the household has a head again."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for restoring this registration."), code="reason_required")
    household, person = _lock_person(person_id, actor=actor, expected_version=expected_version)
    if person.status not in ENDED:
        raise ValidationError(
            _("Only a deceased or cancelled registration can be restored; a person who moved out moves in again."),
            code="not_restorable",
        )
    _refuse_active_id_taken(person.id_number, except_pk=person.pk)
    if household.status == Household.Status.CANCELLED:
        household.status = Household.Status.ACTIVE
        if person.relationship != Relationship.HEAD:
            person.relationship = Relationship.HEAD  # the only member of a re-opened household heads it
    elif person.relationship == Relationship.HEAD:
        _refuse_second_head(household, except_person=person)
    before = person.status
    person.status = Person.Status.ACTIVE
    _save(person, actor=actor, case=case, reason=reason)
    _save(household, actor=actor, case=case, reason=reason)
    change_event_record(
        kind=Kind.PERSON_RESTORED,
        person=person,
        household=household,
        changes={"status": {"before": before, "after": "active"}},
        case=case,
        actor=actor,
    )
    return person


@transaction.atomic
def person_correct(
    *,
    actor: Actor,
    person_id: int,
    changes: dict[str, Any],
    reason: str,
    expected_version: int | None = None,
    case=None,
) -> dict[str, dict[str, Any]]:
    """项目变更更正: changes the given fields of an active person and returns
    ``{field: {"before", "after"}}``. The ID number, birth date and sex are re-checked together;
    a name change keeps the old name in former names. A corrected sex or birth date that the ID
    number no longer matches re-issues the number (the old one stays on record, retired). The head is changed with
    ``household_change_head``, not here. One change event per field a school could care about."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be corrected here: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            code="field_not_correctable",
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the correction."), code="reason_required")
    household, person = _lock_person(person_id, actor=actor, expected_version=expected_version)
    _refuse_ended(person)
    if Relationship.HEAD in (person.relationship, changes.get("relationship", "")) and "relationship" in changes:
        raise ValidationError(
            _("Use the change of head to make someone head or stop being head."), code="use_change_head"
        )
    current = {field: getattr(person, field) for field in CORRECTABLE}
    proposed = {**current, **changes}
    reissue = _needs_new_id_number(person, changes)
    if reissue:
        proposed["id_number"] = None  # checked without it; a new one is issued below
    if "name" in changes and "former_names" not in changes and changes["name"] != current["name"]:
        proposed["former_names"] = "，".join(filter(None, [current["former_names"], current["name"]]))[:128]
    cleaned = _clean_person_fields(proposed, except_pk=person.pk, current=current)
    if reissue:
        cleaned["id_number"] = id_number_next(
            station=household.station, birth_date=cleaned["birth_date"], sex=cleaned["sex"]
        )
    diff = {f: {"before": current[f], "after": cleaned[f]} for f in CORRECTABLE if cleaned[f] != current[f]}
    if not diff:
        raise ValidationError(_("Nothing would change."), code="no_change")
    if reissue:
        id_number_retire(
            number=current["id_number"], person=person, station=household.station, replaced_by=cleaned["id_number"]
        )
        id_number_record(number=cleaned["id_number"], person=person, station=household.station, case=case)
    for field, values in diff.items():
        setattr(person, field, values["after"])
    person.name_pinyin = pinyin_of(person.name)
    _save(person, actor=actor, case=case, reason=reason)
    _record_corrections(person, household, diff, actor=actor, case=case)
    if {"name", "sex", "birth_date"} & set(diff):
        duplicate_suspects_flag(person=person, case=case)
    return _jsonable(diff)


def _needs_new_id_number(person: Person, changes: dict[str, Any]) -> bool:
    """A corrected sex or birth date that the current ID number no longer agrees with means a new
    number (the old one is kept on record and never issued again), unless the correction names
    the new number itself."""
    if not person.id_number or "id_number" in changes or not {"sex", "birth_date"} & set(changes):
        return False
    birth_date = changes.get("birth_date", person.birth_date)
    if isinstance(birth_date, str):
        try:
            birth_date = dt.date.fromisoformat(birth_date)
        except ValueError:
            return False  # the field check says what is wrong with it
    sex = changes.get("sex", person.sex)
    return birth_date_of(person.id_number) != birth_date or sex_of(person.id_number) != sex


def _record_corrections(person, household, diff, *, actor, case) -> None:
    for field, values in _jsonable(diff).items():
        kind = CORRECTABLE[field]
        if kind is not None:
            change_event_record(
                kind=kind, person=person, household=household, changes={field: values}, case=case, actor=actor
            )


def _jsonable(diff: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    def plain(value):
        return value.isoformat() if isinstance(value, dt.date) else value

    return {field: {key: plain(value) for key, value in values.items()} for field, values in diff.items()}


# --- guardians ----------------------------------------------------------------------------------


def person_data_check(*, data: dict[str, Any], person: Person | None = None) -> dict[str, Any]:
    """Checks a person's details as the registry will (for ``person``: their current details with
    ``data`` applied); writes nothing. Returns them cleaned."""
    if person is None:
        return _clean_person_fields(data)
    current = {field: getattr(person, field) for field in CORRECTABLE}
    if _needs_new_id_number(person, data):
        current["id_number"] = None  # re-issued when the correction is applied
    return _clean_person_fields({**current, **data}, except_pk=person.pk, current=current)


def person_refuse_inactive(person: Person) -> None:
    """Raises the clerk-facing ValidationError if ``person`` is not an active resident."""
    _refuse_ended(person)
