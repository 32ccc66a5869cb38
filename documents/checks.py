"""The audit-point checks: each reads what OCR found (and the image itself for seals) and returns
pass / fail / needs a person with a Chinese reason. Pure functions of their inputs (no database
writes), so each is tested on its own and the pre-review service only wires them together."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from common.idnumber import birth_date_of, validate_id_number

PASS, FAIL, NEEDS_PERSON = "pass", "fail", "needs_person"

_ID = re.compile(r"[1-9]\d{16}[\dXx]")
_NAME = re.compile(r"姓\s*名\s*[:：]?\s*([\u4e00-\u9fff·]{2,5})")
_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")


@dataclass
class Evidence:
    """What the checks may look at for one upload."""

    text: str
    findings: list[dict]
    image: Image.Image | None
    keywords: list[str]
    validity_months: int | None
    expected_names: list[str]
    expected_ids: list[str]
    birth_date: dt.date | None
    area_words: list[str]
    today: dt.date
    ocr_skipped: bool = False
    notes: dict = field(default_factory=dict)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def legible(ev: Evidence, point) -> tuple[str, str]:
    if ev.findings:
        return FAIL, "；".join(finding["reason"] for finding in ev.findings)
    return PASS, _("The photo is sharp and readable.")


def _unreadable(ev: Evidence) -> tuple[str, str] | None:
    if ev.ocr_skipped:
        return NEEDS_PERSON, _("The photo cannot be read; retake it and the check runs again.")
    if not ev.text.strip():
        return NEEDS_PERSON, _("No text could be read from the photo; a clerk will check it.")
    return None


def document_type(ev: Evidence, point) -> tuple[str, str]:
    if (blocked := _unreadable(ev)) is not None:
        return blocked
    if not ev.keywords or any(word in _compact(ev.text) for word in ev.keywords):
        return PASS, _("The document is of the expected kind.")
    return NEEDS_PERSON, _("The words “%(words)s” were not found; a clerk will check the kind of document.") % {
        "words": "／".join(ev.keywords)
    }


def names_found(text: str) -> list[str]:
    """Names after a 姓名 label, line by line (a name never runs into the next line's label)."""
    return [match.group(1) for line in text.splitlines() for match in _NAME.finditer(_compact(line))]


def name_match(ev: Evidence, point) -> tuple[str, str]:
    if (blocked := _unreadable(ev)) is not None:
        return blocked
    expected = [name for name in ev.expected_names if name]
    found = names_found(ev.text)
    if found:
        if any(name.startswith(wanted) or wanted.startswith(name) for name in found for wanted in expected):
            return PASS, _("The name matches the application.")
        return FAIL, _("The name on the document, “%(found)s”, does not match the application (%(expected)s).") % {
            "found": found[0],
            "expected": "、".join(expected),
        }
    if any(name in _compact(ev.text) for name in expected):
        return PASS, _("The name matches the application.")
    return NEEDS_PERSON, _("No name could be read; a clerk will compare it.")


def id_numbers_found(text: str) -> list[str]:
    return [match.group().upper() for match in _ID.finditer(_compact(text).replace("x", "X"))]


def _valid(number: str) -> bool:
    try:
        validate_id_number(number)
    except ValidationError:
        return False
    return True


def id_number(ev: Evidence, point) -> tuple[str, str]:
    if (blocked := _unreadable(ev)) is not None:
        return blocked
    found = id_numbers_found(ev.text)
    if not found:
        return NEEDS_PERSON, _("No ID number could be read; a clerk will compare it.")
    expected = {number.upper() for number in ev.expected_ids if number}
    if any(number in expected for number in found):
        return PASS, _("The ID number is valid and matches the application and the registry.")
    if not any(_valid(number) for number in found):
        return FAIL, _("The ID number read, %(number)s, fails the check digit; check the document.") % {
            "number": found[0]
        }
    if not expected:
        return NEEDS_PERSON, _("The ID number is valid; a clerk will compare it with the registry.")
    return FAIL, _("The ID number on the document does not match the application and the registry.")


def dates_found(text: str) -> list[dt.date]:
    dates = []
    for year, month, day in _DATE.findall(_compact(text)):
        try:
            dates.append(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return dates


def birth_date(ev: Evidence, point) -> tuple[str, str]:
    if (blocked := _unreadable(ev)) is not None:
        return blocked
    if ev.birth_date is None:
        return NEEDS_PERSON, _("The birth date will be compared by a clerk.")
    for number in id_numbers_found(ev.text):
        if _valid(number) and birth_date_of(number) != ev.birth_date:
            return FAIL, _("The birth date in the ID number differs from the registry's %(date)s.") % {
                "date": ev.birth_date.isoformat()
            }
    if ev.birth_date in dates_found(ev.text) or any(_valid(n) for n in id_numbers_found(ev.text)):
        return PASS, _("The birth date agrees with the registry.")
    return NEEDS_PERSON, _("No birth date could be read; a clerk will compare it.")


def date_valid(ev: Evidence, point) -> tuple[str, str]:
    if (blocked := _unreadable(ev)) is not None:
        return blocked
    if not ev.validity_months:
        return PASS, _("No validity period applies.")
    dates = [day for day in dates_found(ev.text) if day <= ev.today]
    if not dates:
        return NEEDS_PERSON, _("No date could be read; a clerk will check that it is recent enough.")
    latest = max(dates)
    oldest_allowed = ev.today - relativedelta(months=ev.validity_months)
    if latest < oldest_allowed:
        return FAIL, _(
            "The document is dated %(date)s, older than %(months)s months; supply one dated after %(after)s."
        ) % {"date": latest.isoformat(), "months": ev.validity_months, "after": oldest_allowed.isoformat()}
    return PASS, _("Dated %(date)s, within %(months)s months.") % {
        "date": latest.isoformat(),
        "months": ev.validity_months,
    }


def red_seal_fraction(image: Image.Image) -> float:
    """Share of strongly red pixels (a seal's ink) on a small copy of the image."""
    small = image.convert("RGB")
    small.thumbnail((600, 600))
    rgb = np.asarray(small).astype(np.int16)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    mask = (red > 130) & (red - green > 60) & (red - blue > 50)
    return float(mask.mean())


def seal(ev: Evidence, point) -> tuple[str, str]:
    if ev.image is None:
        return NEEDS_PERSON, _("A clerk will check the seal on the original.")
    if red_seal_fraction(ev.image) >= 0.002:
        return PASS, _("A red seal is present.")
    return FAIL, _("No red seal was found; the issuing office must stamp it.")


def custody(ev: Evidence, point) -> tuple[str, str]:
    if (blocked := _unreadable(ev)) is not None:
        return blocked
    text = _compact(ev.text)
    judgment = any(word in text for word in ("判决书", "调解书", "裁定书"))
    if judgment and any(word in text for word in ("抚养", "监护")):
        return PASS, _("The court document names who has custody.")
    if "离婚协议" in text and not judgment:
        return FAIL, _(
            "A divorce agreement is not enough: supply the court judgment (or mediation) that names custody."
        )
    return NEEDS_PERSON, _("Custody could not be read; a clerk will check the judgment.")


def address(ev: Evidence, point) -> tuple[str, str]:
    if (blocked := _unreadable(ev)) is not None:
        return blocked
    text = _compact(ev.text)
    if any(word and word in text for word in ev.area_words):
        return PASS, _("The address lies in the station's area.")
    return NEEDS_PERSON, _("The address was not recognised as inside the station's area; a clerk will check it.")


def manual(ev: Evidence, point) -> tuple[str, str]:
    return NEEDS_PERSON, _("Checked at the window against the original: %(what)s") % {"what": point.description}


CHECKS = {
    "legible": legible,
    "document_type": document_type,
    "name_match": name_match,
    "id_number": id_number,
    "birth_date": birth_date,
    "date_valid": date_valid,
    "seal": seal,
    "custody": custody,
    "address": address,
    "manual": manual,
}


def check_run(ev: Evidence, point) -> tuple[str, str]:
    return CHECKS.get(point.check_kind, manual)(ev, point)
