"""Resident ID numbers (GB 11643-1999): validation, birth date and sex, masking.

Validation is delegated to python-stdnum (``stdnum.cn.ric``), a well-kept library that checks
the length, the ISO 7064 MOD 11-2 check digit, the embedded birth date and the region prefix.
This module only turns its exceptions into Chinese messages a clerk understands.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

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


# What a stored ID number looks like; the same pattern is a database check constraint on every
# column that holds a full ID number (hukou Person, accounts User, case applicant).
ID_NUMBER_PATTERN = r"^[0-9]{17}[0-9X]$"
_ID_NUMBER_RE = re.compile(ID_NUMBER_PATTERN)


def normalize_id_number(value: str) -> str:
    """The one canonical form of a typed ID number, used for storing and for every lookup.

    NFKC folds full-width digits and letters (３６０１…, ｘ) into ASCII, spaces are dropped
    (people type numbers in groups: 360102 1985…) and a trailing x is upper-cased. Anything
    still outside ASCII digits and X (Arabic-Indic digits, letters) is left in place so the
    validator refuses it and a lookup finds nothing; it never reaches ``int()``. Superscripts
    and other digit look-alikes are not folded (see ``_is_digit_lookalike``).
    """
    folded = "".join(char if _is_digit_lookalike(char) else unicodedata.normalize("NFKC", char) for char in value or "")
    return "".join(folded.split()).upper()


def _is_digit_lookalike(char: str) -> bool:
    """Superscripts, circled and other "digits" that are not decimal digits (², ①). NFKC would
    fold some into ASCII digits, but nobody types them into an ID number by mistake, so they
    are kept as they are: refused by the validator, never matched by a lookup."""
    return char.isdigit() and not char.isdecimal()


def has_digit_lookalike(value: str) -> bool:
    """Whether ``value`` holds a superscript, circled or other non-decimal "digit" (², ①)."""
    return _has_digit_lookalike(value)


def _has_digit_lookalike(value: str) -> bool:
    return any(_is_digit_lookalike(char) for char in value or "")


def validate_id_number(value: str) -> str:
    """Return the normalised ID number or raise ``ValidationError`` saying what is wrong.

    Refuses everything but ASCII digits and X after ``normalize_id_number`` (so full-width
    digits give the same number as ASCII ones, and Arabic-Indic or superscript digits a clear
    error instead of a crash). Checks length, digits, the embedded birth date, the province
    prefix and the MOD 11-2 check digit. It deliberately does not use stdnum's full
    ``validate``: that one also requires the six-digit region code to have existed on the
    birth date, but codes are assigned where the number was first issued, so it would refuse
    real people born before their district was created (e.g. 360102, created 1983).
    """
    if not isinstance(value, str) or _has_digit_lookalike(value):  # a JSON number or list is refused too
        raise ValidationError(_("A resident ID number contains only the digits 0-9 and X."), code="id_characters")
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("A resident ID number has 18 characters."), code="id_length")
    if not _ID_NUMBER_RE.fullmatch(number):
        raise ValidationError(_("A resident ID number contains only the digits 0-9 and X."), code="id_characters")
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
