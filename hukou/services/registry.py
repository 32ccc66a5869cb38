"""Writes on the household registry: households, persons, heads and guardians.

Every service here:
- owns its transaction and locks the household row (then the person row) with
  ``select_for_update`` before reading what it checks, so checks and writes see the same state;
- refuses a save based on an old ``expected_version`` with ``StaleVersion`` (checked under the
  lock, so two clerks can never both win);
- raises ``ValidationError`` with a Chinese message and a ``code`` for bad input, having written
  nothing;
- records who, when, which case and why in the history (django-simple-history change reason),
  and writes one ``ChangeEvent`` per change a school could care about, in the same transaction.

Nothing is ever deleted: persons end (moved out, deceased, cancelled) and may be restored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.idnumber import birth_date_of, sex_of, validate_id_number
from common.roles import Role
from common.text import pinyin_of
from hukou.codes import ETHNICITIES, Relationship, Sex
from hukou.errors import StaleVersion
from hukou.models import Address, ChangeEvent, Guardianship, Household, Person, Station
from hukou.services.duplicates import duplicate_suspects_flag
from hukou.services.events import change_event_record

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
    text = reason.strip() or _("No reason given")
    return f"[{case.number}] {text}"[:100] if case is not None else text[:100]


def _save(obj, *, actor, case, reason: str, bump: bool = True) -> None:
    if bump:
        obj.version += 1
    obj._change_reason = _reason(case, reason)
    obj._history_user = actor
    obj.save()


def _check_station(actor, station_id: int) -> None:
    if actor.role == Role.SYSTEM_ADMIN:
        return
    if actor.station_id != station_id:
        raise ValidationError(
            _("This household belongs to another police station; it can only be handled there."),
            code="other_station",
        )


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


def _clean_person_fields(data: dict[str, Any], *, except_pk: int | None = None) -> dict[str, Any]:
    """Checks the fields every person has; returns them normalised. Raises ValidationError."""
    name = (data.get("name") or "").strip()
    if not name:
        raise ValidationError(_("The name is required."), code="name_required")
    if data.get("sex") not in Sex.values:
        raise ValidationError(_("Choose the sex."), code="sex_required")
    birth_date = data.get("birth_date")
    if isinstance(birth_date, str):
        birth_date = dt.date.fromisoformat(birth_date)
    if not isinstance(birth_date, dt.date) or birth_date > timezone.localdate():
        raise ValidationError(_("The birth date is missing or in the future."), code="birth_date_invalid")
    if data.get("ethnicity", "01") not in dict(ETHNICITIES):
        raise ValidationError(_("Unknown ethnicity code."), code="ethnicity_invalid")
    if data.get("relationship") not in Relationship.values:
        raise ValidationError(_("Choose the relationship to the head of household."), code="relationship_required")
    id_number = _clean_id_number(data.get("id_number"), birth_date=birth_date, sex=data["sex"])
    _refuse_active_id_taken(id_number, except_pk=except_pk)
    return {**data, "name": name, "birth_date": birth_date, "id_number": id_number}


def _check_parents(fields: dict[str, Any], *, station_id: int) -> None:
    """Father and mother, when given by id, must be residents of the same station: an id from a
    request body must never reach another station's registry (nor a row that does not exist)."""
    for key in ("father_id", "mother_id"):
        parent_id = fields.get(key)
        if parent_id and not Person.objects.filter(pk=parent_id, household__station_id=station_id).exists():
            raise ValidationError(
                _("The father or mother given is not a resident of this station."), code="parent_not_found"
            )


def _create_person(*, household: Household, data: dict[str, Any], registered_on: dt.date, actor, case, reason: str):
    fields = _clean_person_fields(data)
    _check_parents(fields, station_id=household.station_id)
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
    change_event_record(kind=Kind.PERSON_ADDED, person=person, household=household, case=case, actor=actor)
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


@transaction.atomic
def household_create(
    *,
    actor,
    address: Address,
    head: dict[str, Any],
    kind: str = Household.Kind.FAMILY,
    number: str = "",
    registered_on: dt.date | None = None,
    case=None,
    reason: str = "",
) -> Household:
    """Creates a household at an address of the actor's station together with its head (户主),
    so an active household never exists without exactly one head. Locks the station row to
    number households safely. Raises ValidationError (other station, bad head data, number taken)."""
    station = Station.objects.select_for_update().get(pk=address.community.station_id)
    _check_station(actor, station.pk)
    if kind not in Household.Kind.values:
        raise ValidationError(_("Unknown household kind."), code="kind_invalid")
    if number and Household.objects.filter(number=number).exists():
        raise ValidationError(_("This household number is already in use."), code="household_number_taken")
    household = Household(number=number or _next_household_number(station), kind=kind, address=address, station=station)
    _save(household, actor=actor, case=case, reason=reason, bump=False)
    head = {**head, "relationship": Relationship.HEAD}
    _create_person(
        household=household,
        data=head,
        registered_on=registered_on or timezone.localdate(),
        actor=actor,
        case=case,
        reason=reason,
    )
    return household


@transaction.atomic
def household_update(
    *,
    actor,
    household_id: int,
    expected_version: int | None,
    address: Address | None = None,
    kind: str | None = None,
    case=None,
    reason: str = "",
) -> Household:
    """Changes a household's address (within the station) or kind. Re-checks ``expected_version``
    under the row lock: the second of two concurrent edits gets ``StaleVersion``, never a silent
    lost update. Every active member gets an address-changed or household-changed event."""
    household = _lock_household(household_id, actor=actor, expected_version=expected_version)
    changes: dict[str, dict] = {}
    previous_address = None
    if address is not None and address.pk != household.address_id:
        _check_station(actor, address.community.station_id)
        previous_address = household.address
        changes["address"] = {"before": household.address.full_text, "after": address.full_text}
        household.address = address
    if kind is not None and kind != household.kind:
        if kind not in Household.Kind.values:
            raise ValidationError(_("Unknown household kind."), code="kind_invalid")
        changes["kind"] = {"before": household.kind, "after": kind}
        household.kind = kind
    if not changes:
        return household
    _save(household, actor=actor, case=case, reason=reason)
    event_kind = Kind.ADDRESS_CHANGED if "address" in changes else Kind.HOUSEHOLD_CHANGED
    for member in _active_members(household):
        change_event_record(
            kind=event_kind,
            person=member,
            household=household,
            changes=changes,
            case=case,
            actor=actor,
            previous_address=previous_address,
        )
    return household


@transaction.atomic
def household_change_head(
    *,
    actor,
    household_id: int,
    new_head_id: int,
    old_head_relationship: str,
    expected_version: int | None = None,
    case=None,
    reason: str = "",
) -> Household:
    """Makes another active member the head (户主); the old head takes ``old_head_relationship``.
    The household keeps exactly one head at every moment the database can see."""
    household = _lock_household(household_id, actor=actor, expected_version=expected_version)
    new_head = Person.objects.select_for_update().get(pk=new_head_id)
    if new_head.household_id != household.pk or new_head.status != Person.Status.ACTIVE:
        raise ValidationError(_("The new head must be an active member of this household."), code="head_not_member")
    if old_head_relationship == Relationship.HEAD or old_head_relationship not in Relationship.values:
        raise ValidationError(
            _("Choose the old head's new relationship to the new head."), code="relationship_required"
        )
    old_head = _active_members(household).select_for_update().filter(relationship=Relationship.HEAD).first()
    if old_head is not None and old_head.pk == new_head.pk:
        raise ValidationError(_("This person is already the head of the household."), code="already_head")
    # The old head steps down first: the one-head constraint is checked row by row.
    if old_head is not None:
        _set_relationship(old_head, old_head_relationship, actor=actor, case=case, reason=reason)
    _set_relationship(new_head, Relationship.HEAD, actor=actor, case=case, reason=reason)
    _save(household, actor=actor, case=case, reason=reason)
    return household


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


@transaction.atomic
def person_register_birth(
    *,
    actor,
    household_id: int,
    child: dict[str, Any],
    expected_version: int | None = None,
    case=None,
    reason: str = "",
) -> Person:
    """出生登记: adds a newborn (``child``: name, sex, birth_date, relationship, optional
    id_number, father_id, mother_id, ethnicity, native_place) to an active household of the
    actor's station. The ID number may be missing (not issued yet); if present it must be valid
    and match the birth date and sex. Flags suspected duplicates for the approver."""
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
        household=household, data=child, registered_on=registered_on, actor=actor, case=case, reason=reason
    )
    _save(household, actor=actor, case=case, reason=reason)
    return person


@transaction.atomic
def person_move_in(
    *,
    actor,
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
    elsewhere = person.household.station_id != actor.station_id and actor.role != Role.SYSTEM_ADMIN
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
    actor,
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
    actor,
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
    actor,
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
    actor,
    person_id: int,
    changes: dict[str, Any],
    reason: str,
    expected_version: int | None = None,
    case=None,
) -> dict[str, dict[str, Any]]:
    """项目变更更正: changes the given fields of an active person and returns
    ``{field: {"before", "after"}}``. The ID number, birth date and sex are re-checked together;
    a name change keeps the old name in former names. The head is changed with
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
    if "name" in changes and "former_names" not in changes and changes["name"] != current["name"]:
        proposed["former_names"] = "，".join(filter(None, [current["former_names"], current["name"]]))[:128]
    cleaned = _clean_person_fields(proposed, except_pk=person.pk)
    diff = {f: {"before": current[f], "after": cleaned[f]} for f in CORRECTABLE if cleaned[f] != current[f]}
    if not diff:
        raise ValidationError(_("Nothing would change."), code="no_change")
    for field, values in diff.items():
        setattr(person, field, values["after"])
    person.name_pinyin = pinyin_of(person.name)
    _save(person, actor=actor, case=case, reason=reason)
    _record_corrections(person, household, diff, actor=actor, case=case)
    if {"name", "sex", "birth_date"} & set(diff):
        duplicate_suspects_flag(person=person, case=case)
    return _jsonable(diff)


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


@transaction.atomic
def guardianship_set(
    *,
    actor,
    child_id: int,
    guardian_id: int,
    relationship: str,
    has_custody: bool = True,
    valid_from: dt.date | None = None,
    case=None,
    reason: str = "",
) -> Guardianship:
    """监护关系确认: records that ``guardian`` is a guardian of ``child`` (with or without custody).
    A pair has at most one open guardianship (database constraint); an open one is refused."""
    household, child = _lock_person(child_id, actor=actor)
    _refuse_ended(child)
    guardian = Person.objects.get(pk=guardian_id)
    if guardian.pk == child.pk:
        raise ValidationError(_("A person cannot be their own guardian."), code="guardian_self")
    if guardian.status == Person.Status.DECEASED:
        _refuse_ended(guardian)
    if Guardianship.objects.filter(child=child, guardian=guardian, valid_until__isnull=True).exists():
        raise ValidationError(_("This guardianship is already recorded."), code="guardianship_exists")
    guardianship = Guardianship(
        child=child,
        guardian=guardian,
        relationship=relationship,
        has_custody=has_custody,
        valid_from=valid_from or timezone.localdate(),
    )
    _save(guardianship, actor=actor, case=case, reason=reason, bump=False)
    _guardian_event(guardianship, household, actor=actor, case=case, before=None)
    _save(child, actor=actor, case=case, reason=reason)
    return guardianship


@transaction.atomic
def guardianship_end(
    *, actor, guardianship_id: int, valid_until: dt.date | None = None, case=None, reason: str
) -> Guardianship:
    """Ends an open guardianship (never deletes it). A reason is required."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for ending the guardianship."), code="reason_required")
    child_id = Guardianship.objects.values_list("child_id", flat=True).get(pk=guardianship_id)
    household, child = _lock_person(child_id, actor=actor)
    guardianship = Guardianship.objects.select_for_update().get(pk=guardianship_id)
    if guardianship.valid_until is not None:
        raise ValidationError(_("This guardianship has already ended."), code="guardianship_ended")
    guardianship.valid_until = valid_until or timezone.localdate()
    _save(guardianship, actor=actor, case=case, reason=reason, bump=False)
    _guardian_event(guardianship, household, actor=actor, case=case, before=guardianship.guardian_id)
    _save(child, actor=actor, case=case, reason=reason)
    return guardianship


def _guardian_event(guardianship, household, *, actor, case, before) -> None:
    after = None if before is not None else guardianship.guardian_id
    change_event_record(
        kind=Kind.GUARDIAN_CHANGED,
        person=guardianship.child,
        household=household,
        changes={
            "guardian": {"before": before, "after": after},
            "has_custody": {"before": None, "after": guardianship.has_custody},
        },
        case=case,
        actor=actor,
    )


# --- checks without writing (used when a case is received) -------------------------------------


def person_data_check(*, data: dict[str, Any], person: Person | None = None) -> dict[str, Any]:
    """Checks a person's details as the registry will (for ``person``: their current details with
    ``data`` applied); writes nothing. Returns them cleaned."""
    if person is None:
        return _clean_person_fields(data)
    current = {field: getattr(person, field) for field in CORRECTABLE}
    return _clean_person_fields({**current, **data}, except_pk=person.pk)


def person_refuse_inactive(person: Person) -> None:
    """Raises the clerk-facing ValidationError if ``person`` is not an active resident."""
    _refuse_ended(person)
