"""Resident ID numbers (GB 11643-1999): validation, birth date and sex, masking.

Validation is delegated to python-stdnum (``stdnum.cn.ric``), a well-kept library that checks
the length, the ISO 7064 MOD 11-2 check digit, the embedded birth date and the region prefix.
This module only turns its exceptions into Chinese messages a clerk understands.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

# Province-level prefixes (GB/T 2260), plus 81/82/83 for Hong Kong, Macao and Taiwan residence
# permits, which use the same format.
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)


def normalize_id_number(value: str) -> str:
    """Drop every space (people type numbers in groups: 360102 1985…) and upper-case a
    trailing x, the two slips people make when typing."""
    return "".join((value or "").split()).upper()


def validate_id_number(value: str) -> str:
    """Return the normalised ID number or raise ``ValidationError`` saying what is wrong.

    Checks length, digits, the embedded birth date, the province prefix and the MOD 11-2 check
    digit. It deliberately does not use stdnum's full ``validate``: that one also requires the
    six-digit region code to have existed on the birth date, but codes are assigned where the
    number was first issued, so it would refuse real people born before their district was
    created (e.g. 360102, created 1983).
    """
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="id_length")
    if not (number.isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise ValidationError(_("This is not a valid resident ID number."), code="id_invalid")
    try:
        # The date first: "the date is impossible" tells a clerk more than "the check digit
        # is wrong" when both fail, as they do after a typo in the date.
        ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("The birth date or region code inside this ID number is impossible."), code="id_component"
        ) from exc
    if number[:2] not in _PROVINCES:
        raise ValidationError(
            _("The birth date or region code inside this ID number is impossible."), code="id_component"
        )
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check every digit."), code="id_checksum"
        )
    return number


def birth_date_of(number: str) -> dt.date:
    return ric.get_birth_date(number)


def sex_of(number: str) -> str:
    """'M' or 'F' from the order code (the 17th digit: odd is male)."""
    return "M" if int(number[16]) % 2 else "F"


def check_digit(first17: str) -> str:
    """The MOD 11-2 check character for the first 17 digits."""
    return ric.calc_check_digit(first17 + "0")


def make_id_number(*, region: str, birth_date: dt.date, sequence: int, male: bool) -> str:
    """Build a valid synthetic ID number (demo data, tests, benchmarks).

    ``sequence`` (0..499) picks the order code; its last digit carries the sex (odd: male).
    """
    sex_digit = ((sequence // 100) % 5) * 2 + (1 if male else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{sequence % 100:02d}{sex_digit}"
    return first17 + check_digit(first17)


def mask_id_number(number: str | None) -> str:
    """110105********002X: region and sequence stay readable, the birth date is hidden."""
    if not number:
        return ""
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[14:]}"
