"""Helpers shared by the registry write services: locks, checks, history reasons."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.idnumber import birth_date_of, sex_of, validate_id_number
from common.text import pinyin_of
from common.validators import validate_birth_date, validate_person_name, validate_plain_text
from hukou.codes import ETHNICITIES, Relationship, Sex
from hukou.errors import StaleVersion
from hukou.models import ChangeEvent, Household, Person, Station
from hukou.policy import station_check
from hukou.services.duplicates import duplicate_suspects_flag
from hukou.services.events import change_event_record
from hukou.services.idnumbers import id_number_next, id_number_record

if TYPE_CHECKING:
    from hukou.policy import Actor

Kind = ChangeEvent.Kind


ENDED = (Person.Status.DECEASED, Person.Status.CANCELLED)
# Fields a correction (项目变更更正) may change, and the change event each one raises.
CORRECTABLE = {
    "name": Kind.NAME_CHANGED,
    "former_names": None,
    "sex": Kind.SEX_CHANGED,
    "birth_date": Kind.BIRTH_DATE_CHANGED,
    "id_number": Kind.ID_NUMBER_CHANGED,
    "ethnicity": None,
    "native_place": None,
    "relationship": Kind.RELATIONSHIP_CHANGED,
}


# --- shared guards ----------------------------------------------------------------------------


def _reason(case, reason: str) -> str:
    """The history's change reason: the case number first, so the audit trail leads to the file."""
    text = validate_plain_text(reason, max_length=1000, multiline=True) or _("No reason given")
    return f"[{case.number}] {text}"[:100] if case is not None else text[:100]


def _save(obj, *, actor: Actor, case, reason: str, bump: bool = True) -> None:
    if bump:
        obj.version += 1
    obj._change_reason = _reason(case, reason)
    obj._history_user = actor
    obj.save()


def _check_station(actor: Actor, station_id: int) -> None:
    station_check(actor, station_id)


def _check_version(obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise StaleVersion(current_version=obj.version)


def _lock_household(household_id: int, *, actor, expected_version: int | None = None) -> Household:
    household = Household.objects.select_for_update().get(pk=household_id)
    _check_station(actor, household.station_id)
    _check_version(household, expected_version)
    return household


def _lock_person(person_id: int, *, actor, expected_version: int | None = None) -> tuple[Household, Person]:
    """Locks the person's household, then the person: always in this order, so no deadlock."""
    household_id = Person.objects.values_list("household_id", flat=True).get(pk=person_id)
    household = _lock_household(household_id, actor=actor)
    person = Person.objects.select_for_update().get(pk=person_id)
    if person.household_id != household_id:
        # Moved by someone else between the read and the lock: the household locked is not theirs.
        raise StaleVersion(current_version=person.version)
    _check_version(person, expected_version)
    return household, person


def _lock_households_in_order(*household_ids: int | None) -> None:
    """Locks several households in primary-key order, before any of them is locked singly: two
    opposite moves (X→Y and Y→X) would otherwise each hold one row and wait for the other."""
    ids = sorted({pk for pk in household_ids if pk is not None})
    list(Household.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _active_members(household: Household):
    return Person.objects.filter(household=household, status=Person.Status.ACTIVE)


def _refuse_second_head(household: Household, *, except_person: Person | None = None) -> None:
    heads = _active_members(household).filter(relationship=Relationship.HEAD)
    if except_person is not None:
        heads = heads.exclude(pk=except_person.pk)
    if heads.exists():
        raise ValidationError(
            _("This household already has a head (户主); change the head instead of adding a second one."),
            code="second_head",
        )


def _refuse_ended(person: Person) -> None:
    if person.status == Person.Status.DECEASED:
        raise ValidationError(
            _("%(name)s is recorded as deceased; a deceased person cannot be moved or changed.")
            % {"name": person.name},
            code="person_deceased",
        )
    if person.status != Person.Status.ACTIVE:
        raise ValidationError(
            _("%(name)s is not an active resident (status: %(status)s).")
            % {"name": person.name, "status": person.get_status_display()},
            code="person_not_active",
        )


def _leave_household(person: Person, *, actor, case, reason: str) -> None:
    """Checks that ``person`` may leave their (locked) household: a head may only leave last,
    and then the household is cancelled, so an active household always has exactly one head."""
    household = person.household
    others = _active_members(household).exclude(pk=person.pk)
    if person.relationship == Relationship.HEAD and others.exists():
        raise ValidationError(
            _("%(name)s is the head of a household with other members; choose a new head first.")
            % {"name": person.name},
            code="head_would_leave",
        )
    if not others.exists():
        household.status = Household.Status.CANCELLED
        _save(household, actor=actor, case=case, reason=reason)


# --- person data --------------------------------------------------------------------------------


def _clean_id_number(value: str | None, *, birth_date: dt.date, sex: str) -> str | None:
    """Validates an ID number (GB 11643) and that it agrees with the birth date and sex."""
    if not value:
        return None
    number = validate_id_number(value)
    if birth_date_of(number) != birth_date:
        raise ValidationError(
            _("The birth date inside the ID number (%(inside)s) does not match the birth date (%(given)s).")
            % {"inside": birth_date_of(number).isoformat(), "given": birth_date.isoformat()},
            code="id_birth_date_mismatch",
        )
    if sex_of(number) != sex:
        raise ValidationError(_("The sex digit of the ID number does not match the sex."), code="id_sex_mismatch")
    return number


def _refuse_active_id_taken(number: str | None, *, except_pk: int | None = None) -> None:
    if not number:
        return
    taken = Person.objects.active().filter(id_number=number)
    if except_pk is not None:
        taken = taken.exclude(pk=except_pk)
    if taken.exists():
        raise ValidationError(
            _("Another active resident already has this ID number; check for a duplicate registration."),
            code="id_number_taken",
        )


def _clean_person_fields(
    data: dict[str, Any], *, except_pk: int | None = None, current: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Checks the fields every person has (names and birth dates through common.validators);
    returns them normalised. Raises ValidationError. With ``current`` (a correction), a name or
    birth date left as stored is not re-judged: a correction of the sex must not fail on a
    legacy name."""
    current = current or {}
    kept = {key for key in ("name", "birth_date") if key in current and data.get(key) == current[key]}
    name = data["name"] if "name" in kept else validate_person_name(data.get("name") or "")
    if not _is_code(data.get("sex"), Sex.values):
        raise ValidationError(_("Choose the sex."), code="sex_required")
    birth_date = data["birth_date"] if "birth_date" in kept else validate_birth_date(data.get("birth_date"))
    if not _is_code(data.get("ethnicity", "01"), dict(ETHNICITIES)):
        raise ValidationError(_("Unknown ethnicity code."), code="ethnicity_invalid")
    if not _is_code(data.get("relationship"), Relationship.values):
        raise ValidationError(_("Choose the relationship to the head of household."), code="relationship_required")
    text = {key: validate_plain_text(data.get(key) or "", max_length=_TEXT_LIMITS[key]) for key in _TEXT_LIMITS}
    if data.get("id_number") is not None and not isinstance(data.get("id_number"), str):
        raise ValidationError(_("This is not a valid resident ID number."), code="id_invalid")
    id_number = _clean_id_number(data.get("id_number"), birth_date=birth_date, sex=data["sex"])
    _refuse_active_id_taken(id_number, except_pk=except_pk)
    return {**data, **text, "name": name, "birth_date": birth_date, "id_number": id_number}


# The free-text fields of a person and the column widths they must fit.
_TEXT_LIMITS = {"former_names": 128, "native_place": 64}


def _is_code(value, codes) -> bool:
    """A code from a standard table; anything that is not a string (a list, a number) is not."""
    return isinstance(value, str) and value in codes


def _check_parents(fields: dict[str, Any], *, station_id: int) -> None:
    """Father and mother, when given by id, must be residents of the same station: an id from a
    request body must never reach another station's registry (nor a row that does not exist)."""
    for key in ("father_id", "mother_id"):
        parent_id = fields.get(key)
        if parent_id and not Person.objects.filter(pk=parent_id, household__station_id=station_id).exists():
            raise ValidationError(
                _("The father or mother given is not a resident of this station."), code="parent_not_found"
            )


def _create_person(
    *,
    household: Household,
    data: dict[str, Any],
    registered_on: dt.date,
    actor,
    case,
    reason: str,
    issue_id_number: bool = False,
):
    """Creates a person; with ``issue_id_number`` (a birth) one without an ID number gets the
    next one of the household's station, recorded in the history and in the change event."""
    fields = _clean_person_fields(data)
    _check_parents(fields, station_id=household.station_id)
    issued = None
    if issue_id_number and not fields["id_number"]:
        issued = id_number_next(station=household.station, birth_date=fields["birth_date"], sex=fields["sex"])
        fields["id_number"] = issued
    person = Person(
        household=household,
        id_number=fields["id_number"],
        name=fields["name"],
        name_pinyin=pinyin_of(fields["name"]),
        former_names=fields.get("former_names", ""),
        sex=fields["sex"],
        birth_date=fields["birth_date"],
        ethnicity=fields.get("ethnicity", "01"),
        native_place=fields.get("native_place", ""),
        relationship=fields["relationship"],
        registered_at_address_on=registered_on,
        father_id=fields.get("father_id"),
        mother_id=fields.get("mother_id"),
    )
    _save(person, actor=actor, case=case, reason=reason, bump=False)
    changes = None
    if issued:
        id_number_record(number=issued, person=person, station=household.station, case=case)
        changes = {"id_number": {"before": None, "after": issued}}
    change_event_record(
        kind=Kind.PERSON_ADDED, person=person, household=household, changes=changes, case=case, actor=actor
    )
    duplicate_suspects_flag(person=person, case=case)
    return person


# --- households ---------------------------------------------------------------------------------


def _next_household_number(station: Station) -> str:
    """A new household number: station code and a serial. The caller holds the station lock."""
    serial = Household.objects.filter(station=station).count() + 1
    while True:
        number = f"{station.code}{serial:06d}"[-18:]
        if not Household.objects.filter(number=number).exists():
            return number
        serial += 1


def _set_relationship(person: Person, relationship: str, *, actor, case, reason: str) -> None:
    before = person.relationship
    person.relationship = relationship
    _save(person, actor=actor, case=case, reason=reason)
    change_event_record(
        kind=Kind.RELATIONSHIP_CHANGED,
        person=person,
        changes={"relationship": {"before": before, "after": relationship}},
        case=case,
        actor=actor,
    )


# --- persons ------------------------------------------------------------------------------------
