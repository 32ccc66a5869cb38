"""Issuing citizen ID numbers (GB 11643): division code of the registration place, birth date,
sequence code (odd for men, even for women) and the MOD 11-2 check digit.

Guarantees: two births of the same place and day never get the same number (the counter row of
that code and date is locked while a number is taken, lock late and once); a number once issued
is never issued again (every issued number is a row under a unique constraint, and numbers held
by any person in the registry, e.g. imported ones, are skipped). Runs inside the caller's
transaction, so a rolled-back registration gives its number back with the counter.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.idnumber import check_digit
from hukou.models import IdNumberSequence, IssuedIdNumber, Person, Station

MAX_SEQUENCE = 999


def _division_code(station: Station) -> str:
    if not station.division_code:
        raise ValidationError(
            _("This police station has no administrative division code, so it cannot issue ID numbers; "
              "the system administrator sets it in the station's settings."),
            code="division_code_missing",
        )  # fmt: skip
    return station.division_code


def _taken(number: str) -> bool:
    return IssuedIdNumber.objects.filter(number=number).exists() or Person.objects.filter(id_number=number).exists()


def id_number_next(*, station: Station, birth_date: dt.date, sex: str) -> str:
    """Takes the next free number for ``station``'s division code, ``birth_date`` and ``sex``
    ('M'/'F') and returns it; the caller must record it with ``id_number_record`` in the same
    transaction. Raises ValidationError when the station has no code or the day is exhausted."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("id_number_next must run inside the registration's transaction.")
    code = _division_code(station)
    IdNumberSequence.objects.get_or_create(division_code=code, birth_date=birth_date)
    counter = IdNumberSequence.objects.select_for_update().get(division_code=code, birth_date=birth_date)
    field = "last_male" if sex == "M" else "last_female"
    sequence = getattr(counter, field)
    while True:
        sequence = sequence + 2 if sequence else (1 if sex == "M" else 2)
        if sequence > MAX_SEQUENCE:
            raise ValidationError(
                _("No ID numbers are left for this place and birth date."), code="id_numbers_exhausted"
            )
        first17 = f"{code}{birth_date:%Y%m%d}{sequence:03d}"
        number = first17 + check_digit(first17)
        if not _taken(number):  # checked under the counter lock
            break
    setattr(counter, field, sequence)
    counter.save(update_fields=[field])
    return number


def id_number_record(*, number: str, person: Person, station: Station, case=None) -> IssuedIdNumber:
    """Writes the issued number's permanent row (the unique constraint is the backstop)."""
    return IssuedIdNumber.objects.create(number=number, person=person, station=station, case=case)


def id_number_retire(*, number: str, person: Person, station: Station, replaced_by: str) -> None:
    """Marks ``number`` replaced (by a correction). A number the registry did not issue itself
    (imported) gets its row now, so it is never issued to anyone else either."""
    now = timezone.now()
    updated = IssuedIdNumber.objects.filter(number=number).update(replaced_at=now, replaced_by=replaced_by)
    if not updated:
        IssuedIdNumber.objects.create(
            number=number, person=person, station=station, replaced_at=now, replaced_by=replaced_by
        )
