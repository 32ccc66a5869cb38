"""The shape of a case's request details (payload), checked before any rule reads them.

A payload arrives as JSON from the API or is built by a form; either way ``payload_shape_check``
runs first (from ``effects.effect_check``), so no later step meets a number where it expects
text, a list where it expects a date, a NUL byte PostgreSQL cannot store, or an id that names
another station's row. It raises ``ValidationError`` with ``fields`` naming the bad keys.

``payload_references_check`` then resolves every id the payload names (father, mother, the
address of a new household) against the actor's station: a missing row and another station's
row answer the same, so nothing about other stations leaks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.idnumber import validate_id_number
from common.validators import validate_person_name, validate_phone, validate_plain_text, validate_record_id
from hukou.models import Address, BusinessType, Person

Effect = BusinessType.Effect

TEXT, ID, PERSON, CHANGES = "text", "id", "person", "changes"
MAX_TEXT = 255
MAX_REASON = 1000

PERSON_FIELDS = {
    "name": TEXT,
    "former_names": TEXT,
    "sex": TEXT,
    "birth_date": TEXT,
    "id_number": TEXT,
    "ethnicity": TEXT,
    "native_place": TEXT,
    "relationship": TEXT,
    "father_id": ID,
    "mother_id": ID,
}
SHAPES: dict[str, dict[str, str]] = {
    Effect.ADD_PERSON: PERSON_FIELDS,
    Effect.MOVE_IN: {
        "person": PERSON,
        "relationship": TEXT,
        "address_id": ID,
        "household_kind": TEXT,
        "moved_in_on": TEXT,
    },
    Effect.MOVE_OUT: {"destination": TEXT},
    Effect.END_PERSON: {"status": TEXT, "reason": TEXT},
    Effect.RESTORE_PERSON: {"reason": TEXT},
    Effect.CORRECT_FIELDS: {"changes": CHANGES, "reason": TEXT},
}
# Keys the system itself adds to a stored payload; a request may not send them.
SYSTEM_KEYS = {"applied"}
# Keys another app's service adds for every business when it opens a case (documents: the
# materials application the case came from and its yes/no answers); checked for type too.
LINK_KEYS = {"materials_application": "id", "answers": "answers"}


def payload_shape_check(*, effect: str, payload: Any) -> dict[str, Any]:
    """Returns a plain copy of ``payload`` whose every key is known for ``effect`` and whose
    every value has the expected type: text (no control or invisible characters, bounded
    length), a record id (positive whole number), a person's details or a field→text mapping.
    Raises ValidationError naming each bad key."""
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise ValidationError(
            {"payload": _("The request details must be an object of named fields.")}, code="payload_invalid"
        )
    return _shape(payload, SHAPES.get(effect, {}), prefix="payload")


def _shape(data: dict, shape: dict[str, str], *, prefix: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}.{key}"
        kind = shape.get(key) or (LINK_KEYS.get(key) if prefix == "payload" else None)
        if kind is None:
            errors[name] = [_("This field is not part of the request details for this business.")]
            continue
        try:
            clean[key] = _value(kind, value, name=name)
        except ValidationError as exc:
            for field, messages in _as_dict(exc, name).items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors, code="payload_invalid")
    return clean


def _value(kind: str, value: Any, *, name: str):
    if kind == ID:
        return validate_record_id(value, code="payload_invalid")
    if kind == PERSON:
        if value in (None, {}):
            return None
        if not isinstance(value, dict):
            raise ValidationError(_("The person's details must be an object of named fields."), code="payload_invalid")
        return _shape(value, PERSON_FIELDS, prefix=name)
    if kind == CHANGES:
        return _changes(value)
    if kind == "answers":
        if not isinstance(value, dict) or not all(
            isinstance(code, str) and len(code) <= 64 and isinstance(answer, bool) for code, answer in value.items()
        ):
            raise ValidationError(_("The answers must map each question to yes or no."), code="payload_invalid")
        return dict(value)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return validate_plain_text(value, max_length=MAX_REASON if name.endswith("reason") else MAX_TEXT, multiline=True)


def _changes(value) -> dict[str, str]:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(_("The changes must map each field to its new value."), code="payload_invalid")
    clean = {}
    for field, new_value in value.items():
        if PERSON_FIELDS.get(field) != TEXT:
            continue  # refused with the field's name by the correction check
        clean[field] = validate_plain_text(new_value, max_length=MAX_TEXT)
    unknown = {field: new_value for field, new_value in value.items() if field not in clean}
    return {**clean, **unknown}


def _as_dict(exc: ValidationError, name: str) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {name: exc.messages}


def payload_references_check(*, payload: dict[str, Any], station_id: int) -> None:
    """Every record the payload names by id (father_id, mother_id, also inside ``person``, and
    address_id) must exist at ``station_id``. A West id named by an East clerk answers exactly
    like an id that does not exist. Raises ValidationError naming the key."""
    errors: dict[str, list[str]] = {}
    people = [("payload", payload), ("payload.person", payload.get("person") or {})]
    for prefix, data in people:
        for key in ("father_id", "mother_id"):
            pk = data.get(key)
            if pk and not Person.objects.filter(pk=pk, household__station_id=station_id).exists():
                errors[f"{prefix}.{key}"] = [_("The father or mother given is not a resident of this station.")]
    address_id = payload.get("address_id")
    if address_id and not Address.objects.filter(pk=address_id, community__station_id=station_id).exists():
        errors["payload.address_id"] = [_("This address is not known at this station.")]
    if errors:
        raise ValidationError(errors, code="reference_invalid")


MAX_NOTE = 2000


def note_check(note) -> str:
    """A note or reason on a case step: text of at most 2000 characters, line breaks allowed,
    no control or invisible characters. Returns it stripped."""
    return validate_plain_text(note, max_length=MAX_NOTE, multiline=True)


def _given(value) -> bool:
    """Empty optional fields are skipped; anything else (a number or a list from JSON too) is
    checked, and refused if it is not text."""
    return value not in (None, "") and not (isinstance(value, str) and not value.strip())


def applicant_check(*, name, id_number, phone, note) -> tuple[str, str, str, str]:
    """The applicant at the window: a plausible name, a valid resident ID number (check digit
    included) when given, a mobile or landline number when given, and a bounded note.
    Returns them normalised; raises ValidationError naming the field."""
    checks = {
        "applicant_name": lambda: validate_person_name(name),
        "applicant_id_number": lambda: validate_id_number(id_number) if _given(id_number) else "",
        "applicant_phone": lambda: validate_phone(phone) if _given(phone) else "",
        "note": lambda: note_check(note),
    }
    clean, errors = {}, {}
    for field, check in checks.items():
        try:
            clean[field] = check()
        except ValidationError as exc:
            errors[field] = exc.messages
    if errors:
        raise ValidationError(errors, code="applicant_invalid")
    return clean["applicant_name"], clean["applicant_id_number"], clean["applicant_phone"], clean["note"]
