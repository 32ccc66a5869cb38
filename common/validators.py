"""Shared validators for values that enter the registry from people: names, phone numbers,
birth dates, amounts and free text.

Each one takes the raw value as it arrived (a form's string, a JSON value of any type), raises
``django.core.exceptions.ValidationError`` with a Chinese message and a ``code`` when it is not
plausible, and returns the normalised value. Services call them, so forms, the API and the
import all pass through the same rules.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
NAME_MAX_LENGTH = 64
# The middle dot separates the parts of transliterated ethnic-minority names (阿依古丽·买买提);
# people type it as U+00B7, U+2022 (bullet), U+30FB (katakana) or U+FF0E; it is stored as U+00B7.
_NAME_DOTS = {"\u00b7": "·", "\u2022": "·", "\u30fb": "·", "\uff0e": "·", "\u2027": "·"}
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")
_AMOUNT = re.compile(r"[0-9]{1,7}(\.[0-9]{1,2})?")
# Line breaks and tabs are the only control characters free text may carry.
_TEXT_CONTROLS_ALLOWED = {"\n", "\r", "\t"}


def _invisible(char: str) -> bool:
    """Control (Cc), format (Cf: bidi overrides, zero-width), surrogate, private-use and
    unassigned characters: nothing a person can read, everything an attacker can use."""
    return unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}


def _require_text(value, *, code: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("This value must be text."), code=code)
    return value


def text_validate(value, *, max_length: int, multiline: bool = False, code: str = "text_invalid") -> str:
    """Free text (notes, reasons, destinations): a string of at most ``max_length`` characters,
    with no control or invisible characters (line breaks and tabs only when ``multiline``).
    Returns it stripped."""
    text = _require_text("" if value is None else value, code=code)
    if len(text) > max_length:
        raise ValidationError(
            _("This text is too long (at most %(max)d characters).") % {"max": max_length}, code="text_too_long"
        )
    for char in text:
        if _invisible(char) and not (multiline and char in _TEXT_CONTROLS_ALLOWED):
            raise ValidationError(_("This text contains control or invisible characters."), code=code)
    return text.strip()


def name_validate(value) -> str:
    """A person's name as the registry prints it: Chinese (or other) letters, optionally in
    parts joined by a middle dot (ethnic-minority names) or single spaces (names in Latin
    letters); each part starts with a letter (ASCII digits may follow, as in legacy registers).
    Refuses punctuation, symbols and emoji, non-ASCII digits, control and invisible characters
    (RTL overrides, zero-width joiners) and formula prefixes (= + - @). Returns the name with the dot
    normalised to U+00B7."""
    name = _require_text(value, code="name_invalid").strip()
    if not name:
        raise ValidationError(_("The name is required."), code="name_required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("A name has at most %(max)d characters.") % {"max": NAME_MAX_LENGTH}, code="name_too_long"
        )
    name = "".join(_NAME_DOTS.get(char, char) for char in name)
    for part in re.split(r"[· ]", name):
        if not part or not all(_name_char(char) for char in part) or not unicodedata.category(part[0]).startswith("L"):
            raise ValidationError(
                _("A name contains only letters, with a middle dot (·) between the parts of a minority name."),
                code="name_invalid",
            )
    return name


def _name_char(char: str) -> bool:
    # ASCII digits after a letter stay possible: legacy registers number namesakes (王1, 测试1号);
    # full-width, superscript and other digits do not.
    category = unicodedata.category(char)
    return category.startswith("L") or category in {"Mn", "Mc"} or "0" <= char <= "9"


def mobile_validate(value) -> str:
    """A mainland mobile number: 11 ASCII digits starting 13-19. Spaces and dashes people type
    between groups are dropped. Returns the 11 digits."""
    number = re.sub(r"[\s-]", "", _require_text(value, code="mobile_invalid"))
    if not _MOBILE.fullmatch(number):
        raise ValidationError(_("Enter an 11-digit mobile number, e.g. 13800000000."), code="mobile_invalid")
    return number


def phone_validate(value) -> str:
    """A contact phone number: a mainland mobile number or a landline with its area code
    (0791-88888888, optionally an extension). Returns it with spaces removed."""
    text = "".join(_require_text(value, code="phone_invalid").split())
    if _MOBILE.fullmatch(text.replace("-", "")):
        return text.replace("-", "")
    if not _LANDLINE.fullmatch(text):
        raise ValidationError(
            _("Enter a mobile number (13800000000) or a landline with its area code (0791-88888888)."),
            code="phone_invalid",
        )
    return text


def date_parse(value, *, code: str = "date_invalid") -> dt.date | None:
    """A date from a date or an ISO string (YYYY-MM-DD in ASCII digits); None for empty."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValidationError(_("Dates are written as YYYY-MM-DD."), code=code)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Dates are written as YYYY-MM-DD."), code=code) from exc


def birth_date_validate(value) -> dt.date:
    """A birth date between 1900-01-01 and today (a date or YYYY-MM-DD)."""
    birth_date = date_parse(value, code="birth_date_invalid")
    if birth_date is None:
        raise ValidationError(_("The birth date is required."), code="birth_date_invalid")
    if birth_date > timezone.localdate():
        raise ValidationError(_("The birth date is missing or in the future."), code="birth_date_invalid")
    if birth_date < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("A birth date before 1900 is not plausible."), code="birth_date_invalid")
    return birth_date


def amount_validate(value, *, maximum: Decimal = Decimal("10000")) -> Decimal:
    """A fee in yuan: zero or more, at most two decimals, at most ``maximum``; never NaN,
    infinity, an exponent or a negative zero. Accepts a Decimal, an int or a string of ASCII
    digits; refuses floats (they cannot hold cents exactly)."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        raise ValidationError(_("Enter the amount in yuan, e.g. 20 or 20.00."), code="amount_invalid")
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, Decimal):
        if not value.is_finite() or value.is_signed():
            raise ValidationError(_("Enter the amount in yuan, e.g. 20 or 20.00."), code="amount_invalid")
        value = format(value, "f")
    if not isinstance(value, str) or not _AMOUNT.fullmatch(value.strip()):
        raise ValidationError(_("Enter the amount in yuan, e.g. 20 or 20.00."), code="amount_invalid")
    try:
        amount = Decimal(value.strip())
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise ValidationError(_("Enter the amount in yuan, e.g. 20 or 20.00."), code="amount_invalid") from exc
    if amount > maximum:
        raise ValidationError(
            _("The amount is more than %(max)s yuan; check it.") % {"max": maximum}, code="amount_too_large"
        )
    return amount


def integer_id_validate(value, *, code: str = "id_invalid") -> int | None:
    """A row id from a request body: a positive whole number (an int, or a string of ASCII
    digits); None for empty. Refuses booleans, floats, lists and anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("This must be the number of a record."), code=code)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,12}", value):
        value = int(value)
    if not isinstance(value, int) or value <= 0 or value > 2**63 - 1:
        raise ValidationError(_("This must be the number of a record."), code=code)
    return value
