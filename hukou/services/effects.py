"""What each business type does to the registry, read from the case's request details (payload).

``effect_check`` runs when a case is received: it refuses a request that could never be applied
(a bad ID number, a missing person) while the applicant is still at the window.
``effect_apply`` runs inside the sign-off's transaction, under the case row lock, through the
registry services (which check everything again under their own locks).

Payloads by effect (JSON; dates as ISO strings):
- add_person: the child: name, sex, birth_date, relationship, optional id_number, father_id,
  mother_id, ethnicity, native_place. The case's household receives the child.
- move_in: relationship; the person (case.person, or ``person``: new person's details); the
  target (case.household, or ``address_id`` for a new household, with ``household_kind``);
  optional moved_in_on.
- move_out: destination. end_person: optional status (deceased/cancelled), reason.
- restore_person: reason. correct_fields: changes {field: new value}.
- id_card, archive, certificate_only: nothing; their steps are recorded elsewhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.validators import validate_date
from hukou.codes import Relationship
from hukou.models import Address, BusinessType, Case, Household, Person
from hukou.services import registry
from hukou.services.payloads import payload_references_check, payload_shape_check

Effect = BusinessType.Effect
NEEDS_PERSON = {Effect.MOVE_OUT, Effect.END_PERSON, Effect.RESTORE_PERSON, Effect.CORRECT_FIELDS, Effect.ID_CARD}


def _date(value) -> dt.date | None:
    return validate_date(value)


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in data.items()}


def _end_status(business_type: BusinessType, payload: dict) -> str:
    default = Person.Status.DECEASED if business_type.code == "death" else Person.Status.CANCELLED
    return payload.get("status") or default


def effect_check(
    *,
    business_type: BusinessType,
    household: Household | None,
    person: Person | None,
    payload: dict | None,
    actor=None,
) -> dict[str, Any]:
    """Checks the request details for ``business_type``; returns them normalised for storage.
    Their shape comes first (types, lengths, no control characters: ``payloads``), then every
    id they name must exist at the actor's station, then the business rules. Raises
    ValidationError with the clerk-facing reason; reads only, writes nothing."""
    effect = business_type.effect
    payload = payload_shape_check(effect=effect, payload=payload)
    station_id = _station_of(actor, household, person)
    if station_id is not None:
        payload_references_check(payload=payload, station_id=station_id)
    if effect in NEEDS_PERSON and person is None:
        raise ValidationError(_("Choose the person this business is about."), code="person_required")
    must_be_active = effect in NEEDS_PERSON - {Effect.RESTORE_PERSON, Effect.ID_CARD}
    if person is not None and must_be_active and person.status != Person.Status.ACTIVE:
        registry.person_refuse_inactive(person)
    checker = _CHECKS.get(effect)
    return checker(business_type, household, person, payload) if checker else payload


def _station_of(actor, household, person) -> int | None:
    if getattr(actor, "station_id", None):
        return actor.station_id
    if household is not None:
        return household.station_id
    return person.household.station_id if person is not None else None


def _check_add_person(business_type, household, person, payload) -> dict:
    if household is None:
        raise ValidationError(_("Choose the household the child is registered in."), code="household_required")
    if payload.get("relationship") == Relationship.HEAD:
        raise ValidationError(
            _("This household already has a head (户主); change the head instead of adding a second one."),
            code="second_head",
        )
    return _plain(registry.person_data_check(data={**payload, "birth_date": _date(payload.get("birth_date"))}))


def _check_move_in(business_type, household, person, payload) -> dict:
    if household is None and not payload.get("address_id"):
        raise ValidationError(_("Choose the household or the address to move into."), code="target_required")
    if person is None and not payload.get("person"):
        raise ValidationError(_("Give either an existing person or the new person's details."), code="person_required")
    if person is not None and person.status in (Person.Status.DECEASED, Person.Status.CANCELLED):
        registry.person_refuse_inactive(person)
    relationship = payload.get("relationship") or (Relationship.HEAD if household is None else "")
    if household is not None and relationship == Relationship.HEAD:
        raise ValidationError(
            _("This household already has a head (户主); change the head instead of adding a second one."),
            code="second_head",
        )
    if payload.get("person"):
        data = {
            **payload["person"],
            "relationship": relationship,
            "birth_date": _date(payload["person"].get("birth_date")),
        }
        payload["person"] = _plain(registry.person_data_check(data=data))
    _date(payload.get("moved_in_on"))
    return {**payload, "relationship": relationship}


def _check_move_out(business_type, household, person, payload) -> dict:
    if not (payload.get("destination") or "").strip():
        raise ValidationError(_("Enter where the person is moving to."), code="destination_required")
    return payload


def _check_end(business_type, household, person, payload) -> dict:
    if _end_status(business_type, payload) not in (Person.Status.DECEASED, Person.Status.CANCELLED):
        raise ValidationError(_("A registration ends as deceased or cancelled."), code="status_invalid")
    return payload


def _check_correct(business_type, household, person, payload) -> dict:
    changes = payload.get("changes") or {}
    if not changes:
        raise ValidationError(_("Say which fields change and to what."), code="changes_required")
    unknown = set(changes) - set(registry.CORRECTABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be corrected here: %(fields)s") % {"fields": ", ".join(sorted(unknown))},
            code="field_not_correctable",
        )
    if "birth_date" in changes:
        changes = {**changes, "birth_date": _date(changes["birth_date"])}
    registry.person_data_check(data=changes, person=person)
    return payload


_CHECKS = {
    Effect.ADD_PERSON: _check_add_person,
    Effect.MOVE_IN: _check_move_in,
    Effect.MOVE_OUT: _check_move_out,
    Effect.END_PERSON: _check_end,
    Effect.CORRECT_FIELDS: _check_correct,
}


# --- applying -----------------------------------------------------------------------------------


def effect_apply(*, case: Case, actor) -> None:
    """Applies the case's registry change. Must run inside the caller's transaction, with the
    case row locked; raises ValidationError (and so rolls the sign-off back) if the registry
    refuses, e.g. the person died in the meantime. May set ``case.person``, ``case.household``
    and ``case.payload["applied"]``; the caller saves them with the status change."""
    applier = _APPLY.get(case.business_type.effect)
    if applier is not None:
        applier(case, actor, case.payload or {}, f"{case.business_type.name}")


def _apply_add_person(case, actor, payload, reason) -> None:
    child = {**payload, "birth_date": _date(payload.get("birth_date"))}
    case.person = registry.person_register_birth(
        actor=actor, household_id=case.household_id, child=child, case=case, reason=reason
    )


def _apply_move_in(case, actor, payload, reason) -> None:
    person_data = payload.get("person")
    if person_data:
        person_data = {**person_data, "birth_date": _date(person_data.get("birth_date"))}
    address = Address.objects.get(pk=payload["address_id"]) if case.household_id is None else None
    person = registry.person_move_in(
        actor=actor,
        relationship=payload.get("relationship") or Relationship.HEAD,
        person_id=case.person_id,
        person_data=person_data,
        household_id=case.household_id,
        address=address,
        household_kind=payload.get("household_kind") or Household.Kind.FAMILY,
        moved_in_on=_date(payload.get("moved_in_on")),
        case=case,
        reason=reason,
    )
    case.person, case.household = person, person.household


def _apply_move_out(case, actor, payload, reason) -> None:
    registry.person_move_out(
        actor=actor, person_id=case.person_id, destination=payload["destination"], case=case, reason=reason
    )


def _apply_end(case, actor, payload, reason) -> None:
    registry.person_end(
        actor=actor,
        person_id=case.person_id,
        status=_end_status(case.business_type, payload),
        case=case,
        reason=payload.get("reason") or reason,
    )


def _apply_restore(case, actor, payload, reason) -> None:
    registry.person_restore(actor=actor, person_id=case.person_id, case=case, reason=payload.get("reason") or reason)


def _apply_correct(case, actor, payload, reason) -> None:
    changes = dict(payload["changes"])
    if "birth_date" in changes:
        changes["birth_date"] = _date(changes["birth_date"])
    diff = registry.person_correct(
        actor=actor, person_id=case.person_id, changes=changes, case=case, reason=payload.get("reason") or reason
    )
    case.payload = {**payload, "applied": diff}


def _apply_id_card(case, actor, payload, reason) -> None:
    card = getattr(case, "id_card", None)
    if card is None or card.collected_at is None:
        raise ValidationError(_("The ID card has not been collected yet."), code="card_not_collected")


def _apply_archive(case, actor, payload, reason) -> None:
    if not case.archive.exists():
        raise ValidationError(_("Attach at least one scanned page first."), code="archive_empty")


_APPLY = {
    Effect.ADD_PERSON: _apply_add_person,
    Effect.MOVE_IN: _apply_move_in,
    Effect.MOVE_OUT: _apply_move_out,
    Effect.END_PERSON: _apply_end,
    Effect.RESTORE_PERSON: _apply_restore,
    Effect.CORRECT_FIELDS: _apply_correct,
    Effect.ID_CARD: _apply_id_card,
    Effect.ARCHIVE: _apply_archive,
}
