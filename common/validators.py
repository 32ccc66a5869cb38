"""Reusable validators for values people type: names, free text, mobile numbers, birth dates,
money. Each returns the cleaned value or raises Django's ``ValidationError`` with a Chinese
message and a stable ``code``, so forms (``clean_<field>``), serializers (``validate_<field>``)
and the import (a row error) say the same thing about the same mistake.

What they guard against: control, invisible (zero-width) and bidirectional-override characters
that make a name display differently from what is stored; emoji and symbols; spreadsheet
formulas (``=HYPERLINK(...)``, ``@SUM``, ``+1+1``) that would run when a school or an office
opens an export; and values no real record has (a birth date in 1800, a NaN fee).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIDDLE_DOT = "·"
# Dots people type between the parts of an ethnic-minority name (阿卜杜拉·艾则孜): all become U+00B7.
_DOT_VARIANTS = str.maketrans(dict.fromkeys("•‧・･∙⋅•", MIDDLE_DOT))
# What a spreadsheet program runs as a formula when a cell starts with it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _has_hidden_characters(value: str) -> bool:
    """Control (Cc), format (Cf: zero-width, bidi overrides), private-use, surrogate and
    unassigned characters: none belongs in anything a person types into a form."""
    return any(unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs", "Cn"} for char in value)


def validate_person_name(value: str, *, max_length: int = 64) -> str:
    """A person's name: Chinese characters or other letters, an ethnic-minority name's middle
    dot between parts, single spaces between words (transliterated names); digits only after
    the first character (legacy placeholder names such as 王1). Returns it NFC-normalised with
    the dot variants unified; refuses everything else, including formula prefixes and emoji."""
    name = unicodedata.normalize("NFC", (value or "").strip()).translate(_DOT_VARIANTS)
    if not name:
        raise ValidationError(_("Enter the name."), code="name_required")
    if len(name) > max_length:
        raise ValidationError(_("A name has at most %(max)d characters.") % {"max": max_length}, code="name_too_long")
    if name.startswith(FORMULA_PREFIXES) or _has_hidden_characters(name):
        raise ValidationError(_("The name contains characters that are not allowed."), code="name_characters")
    for index, char in enumerate(name):
        category = unicodedata.category(char)
        if category[0] in "LM" or (char.isdecimal() and char.isascii() and index > 0):
            continue
        if char in (MIDDLE_DOT, " ") and 0 < index < len(name) - 1 and name[index - 1] not in (MIDDLE_DOT, " "):
            continue
        raise ValidationError(
            _("A name may contain only letters, single spaces and the middle dot · between its parts."),
            code="name_characters",
        )
    return name


def validate_plain_text(value: str, *, max_length: int, multiline: bool = False) -> str:
    """Free text (a note, a reason, an address part): stripped, at most ``max_length``
    characters, no control/invisible/bidi characters (line breaks only if ``multiline``) and no
    formula prefix."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if multiline:
        text = text.replace("\r\n", "\n")
    if len(text) > max_length:
        raise ValidationError(_("At most %(max)d characters, please.") % {"max": max_length}, code="text_too_long")
    hidden = text.replace("\n", "") if multiline else text
    if _has_hidden_characters(hidden) or text.startswith(FORMULA_PREFIXES[:4]):
        raise ValidationError(_("The text contains characters that are not allowed."), code="text_characters")
    return text


def validate_mobile(value: str) -> str:
    """A mainland mobile number: 11 digits starting 13-19 (full-width digits, spaces and
    hyphens are accepted and removed; a leading +86 too)."""
    number = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or ""))
    number = number.removeprefix("+86")
    if not _MOBILE.fullmatch(number):
        raise ValidationError(_("Enter an 11-digit mainland mobile number."), code="mobile_invalid")
    return number


def validate_birth_date(value: dt.date, *, today: dt.date | None = None) -> dt.date:
    """A birth date a living record can have: from 1900-01-01 up to today."""
    today = today or timezone.localdate()
    if not EARLIEST_BIRTH_DATE <= value <= today:
        raise ValidationError(
            _("A birth date lies between %(first)s and today.") % {"first": EARLIEST_BIRTH_DATE.isoformat()},
            code="birth_date_range",
        )
    return value


def validate_money(value, *, maximum: Decimal = Decimal("100000.00")) -> Decimal:
    """An amount of yuan: a finite number from 0 to ``maximum`` with at most two decimals
    (NaN, infinities, 1e10, -0.00 and "abc" are refused or, for -0, made 0)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter an amount in yuan, such as 20.00."), code="money_invalid") from exc
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        raise ValidationError(_("Enter an amount in yuan, such as 20.00."), code="money_invalid")
    if not Decimal(0) <= amount <= maximum:
        raise ValidationError(_("An amount lies between 0 and %(max)s yuan.") % {"max": maximum}, code="money_range")
    return abs(amount).quantize(Decimal("0.01"))


def formula_safe(value):
    """A cell value that a spreadsheet program shows as text: a string starting like a formula
    gets a leading apostrophe (OWASP's CSV-injection advice). Use on every cell the product
    writes to a .csv or .xlsx; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
