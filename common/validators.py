"""The one set of validators for values people type: names, free text, mobile and phone numbers,
dates and birth dates, money, record ids. Each takes the raw value as it arrived (a form's
string, a JSON value of any type), returns the cleaned value or raises Django's
``ValidationError`` with a Chinese message and a stable ``code``, so forms (``clean_<field>``),
serializers (``validate_<field>``), services and the import (a row error) say the same thing about
the same mistake. Services call them, so the screens, the API and the import cannot differ.

What they guard against: values of the wrong JSON type (a number or a list where text belongs);
control, invisible (zero-width) and bidirectional-override characters that make a name display
differently from what is stored; emoji and symbols; spreadsheet formulas (``=HYPERLINK(...)``,
``@SUM``, ``+1+1``) that would run when a school or an office opens an export; and values no real
record has (a birth date in 1800, a NaN fee, a 9 MB note).

Digits: identifiers people type through an input method (mobile numbers, like resident ID
numbers in ``common.idnumber``) are NFKC-normalised, so full-width digits become ASCII ones;
names, amounts, dates and record ids take ASCII digits only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.idnumber import has_digit_lookalike

MIDDLE_DOT = "·"
# Dots people type between the parts of an ethnic-minority name (阿卜杜拉·艾则孜): all become U+00B7.
_DOT_VARIANTS = str.maketrans(dict.fromkeys("•‧・･∙⋅．", MIDDLE_DOT))
# What a spreadsheet program runs as a formula when a cell starts with it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
NAME_MAX_LENGTH = 64
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")
_AMOUNT = re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _has_hidden_characters(value: str) -> bool:
    """Control (Cc), format (Cf: zero-width, bidi overrides), private-use, surrogate and
    unassigned characters: none belongs in anything a person types into a form."""
    return any(unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs", "Cn"} for char in value)


def _require_text(value, *, code: str) -> str:
    """JSON bodies carry any type: a name of 123 or ["张三"] is refused, not str()-ed."""
    if not isinstance(value, str):
        raise ValidationError(_("This value must be text."), code=code)
    return value


def _name_character(char: str, first: bool) -> bool:
    # A part starts with a letter; then letters, combining marks and ASCII digits, as legacy
    # registers number namesakes (王1, 测试1号). Full-width, superscript and other digits never.
    category = unicodedata.category(char)[0]
    if first:
        return category == "L"
    return category in "LM" or "0" <= char <= "9"


def validate_person_name(value, *, max_length: int = NAME_MAX_LENGTH) -> str:
    """A person's name as the registry prints it: Chinese characters or other letters, in parts
    joined by the middle dot (ethnic-minority names, 阿依古丽·买买提) or single spaces
    (transliterated names); each part starts with a letter and may carry ASCII digits after it
    (legacy placeholder names such as 王1). Returns it NFC-normalised with the dot variants
    unified to U+00B7; refuses punctuation, symbols, emoji, non-ASCII digits, control and
    invisible characters (RTL overrides, zero-width joiners) and formula prefixes."""
    name = unicodedata.normalize("NFC", _require_text("" if value is None else value, code="name_characters").strip())
    name = name.translate(_DOT_VARIANTS)
    if not name:
        raise ValidationError(_("Enter the name."), code="name_required")
    if len(name) > max_length:
        raise ValidationError(_("A name has at most %(max)d characters.") % {"max": max_length}, code="name_too_long")
    if name.startswith(FORMULA_PREFIXES) or _has_hidden_characters(name):
        raise ValidationError(_("The name contains characters that are not allowed."), code="name_characters")
    for part in re.split(r"[· ]", name):
        if not part or not all(_name_character(char, index == 0) for index, char in enumerate(part)):
            raise ValidationError(
                _("A name may contain only letters, single spaces and the middle dot · between its parts."),
                code="name_characters",
            )
    return name


def validate_plain_text(value, *, max_length: int, multiline: bool = False, required: bool = False) -> str:
    """Free text (a note, a reason, an address part, an answer): a string, stripped, at most
    ``max_length`` characters, no control/invisible/bidi characters (line breaks and tabs only if
    ``multiline``) and no formula prefix. ``None`` counts as empty."""
    text = unicodedata.normalize("NFC", _require_text("" if value is None else value, code="text_characters").strip())
    if multiline:
        text = text.replace("\r\n", "\n")
    if len(text) > max_length:
        raise ValidationError(_("At most %(max)d characters, please.") % {"max": max_length}, code="text_too_long")
    if required and not text:
        raise ValidationError(_("This field is required."), code="text_required")
    hidden = text.replace("\n", "").replace("\t", "") if multiline else text
    if _has_hidden_characters(hidden) or text.startswith(FORMULA_PREFIXES[:4]):
        raise ValidationError(_("The text contains characters that are not allowed."), code="text_characters")
    return text


def validate_mobile(value) -> str:
    """A mainland mobile number: 11 digits starting 13-19 (full-width digits, spaces and
    hyphens are accepted and removed; a leading +86 too; superscripts and other digit look-alikes
    are refused, as in ID numbers). Returns the 11 ASCII digits."""
    text = _require_text(value or "", code="mobile_invalid")
    number = "" if has_digit_lookalike(text) else re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text))
    number = number.removeprefix("+86")
    if not _MOBILE.fullmatch(number):
        raise ValidationError(_("Enter an 11-digit mainland mobile number."), code="mobile_invalid")
    return number


def validate_phone(value) -> str:
    """A contact phone number: a mainland mobile number or a landline with its area code
    (0791-88888888, optionally an extension). Returns it with spaces removed."""
    text = _require_text(value or "", code="phone_invalid")
    text = "?" if has_digit_lookalike(text) else "".join(unicodedata.normalize("NFKC", text).split())
    try:
        return validate_mobile(text)
    except ValidationError:
        pass
    if not _LANDLINE.fullmatch(text):
        raise ValidationError(
            _("Enter a mobile number (13800000000) or a landline with its area code (0791-88888888)."),
            code="phone_invalid",
        )
    return text


def validate_date(value, *, code: str = "date_invalid") -> dt.date | None:
    """A date from a ``date`` or an ISO string (YYYY-MM-DD in ASCII digits); None for empty."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValidationError(_("Dates are written as YYYY-MM-DD."), code=code)
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(_("Dates are written as YYYY-MM-DD."), code=code) from exc


def validate_birth_date(value, *, today: dt.date | None = None) -> dt.date:
    """A birth date a living record can have: from 1900-01-01 up to today (a date or
    YYYY-MM-DD)."""
    birth_date = validate_date(value, code="birth_date_invalid")
    if birth_date is None:
        raise ValidationError(_("The birth date is required."), code="birth_date_invalid")
    today = today or timezone.localdate()
    if not EARLIEST_BIRTH_DATE <= birth_date <= today:
        raise ValidationError(
            _("A birth date lies between %(first)s and today.") % {"first": EARLIEST_BIRTH_DATE.isoformat()},
            code="birth_date_range",
        )
    return birth_date


def validate_money(value, *, maximum: Decimal = Decimal("100000.00")) -> Decimal:
    """An amount of yuan: zero or more, at most two decimals, at most ``maximum``. Takes a
    Decimal, an int or a string of ASCII digits; refuses floats (they cannot hold cents
    exactly), booleans, NaN, infinities, exponents (1e10) and any sign (−0.00 included)."""
    invalid = ValidationError(_("Enter an amount in yuan, such as 20.00."), code="money_invalid")
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise invalid
    if isinstance(value, Decimal):
        if not value.is_finite() or value.is_signed():
            raise invalid
        value = format(value, "f")
    text = str(value).strip()
    if not _AMOUNT.fullmatch(text):
        raise invalid
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise invalid from exc
    if amount > maximum:
        raise ValidationError(_("An amount lies between 0 and %(max)s yuan.") % {"max": maximum}, code="money_range")
    return amount.quantize(Decimal("0.01"))


def validate_record_id(value, *, code: str = "record_id_invalid") -> int | None:
    """A row id from a request body: a positive whole number (an int, or a string of ASCII
    digits); None for empty. Refuses booleans, floats, lists and anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("This must be the number of a record."), code=code)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,18}", value):
        value = int(value)
    if not isinstance(value, int) or value <= 0 or value > 2**63 - 1:
        raise ValidationError(_("This must be the number of a record."), code=code)
    return value


def formula_safe(value):
    """A cell value that a spreadsheet program shows as text: a string starting like a formula
    gets a leading apostrophe (OWASP's CSV-injection advice). Use on every cell the product
    writes to a .csv or .xlsx; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
