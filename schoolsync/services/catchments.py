"""Importing catchments from CSV: every row checked first, then all written or nothing."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hukou.models import Community
from schoolsync.models import CatchmentArea, School

COLUMNS = [
    "school_code",
    "year",
    "district",
    "subdistrict",
    "community",
    "road",
    "number_from",
    "number_to",
    "parity",
    "building",
]
_PARITY = {
    "": "any",
    "any": "any",
    "odd": "odd",
    "even": "even",
    "单": "odd",
    "双": "even",
    "单号": "odd",
    "双号": "even",
}


def _number(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValueError(_("House numbers must be whole numbers."))
    return int(value)


def _area(row: dict, schools: dict, communities: dict) -> CatchmentArea:
    """Build one unsaved area from a CSV row or raise ValueError with a Chinese message."""
    school = schools.get((row.get("school_code") or "").strip())
    if school is None:
        raise ValueError(_("Unknown school code %(code)s.") % {"code": row.get("school_code")})
    year = (row.get("year") or "").strip()
    if not (year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
        raise ValueError(_("The enrolment year must be a year such as 2027."))
    key = tuple((row.get(name) or "").strip() for name in ("district", "subdistrict", "community"))
    community = communities.get(key)
    if community is None:
        raise ValueError(_("Unknown community %(name)s.") % {"name": "".join(key)})
    parity = _PARITY.get((row.get("parity") or "").strip().lower())
    if parity is None:
        raise ValueError(_("Numbers must be empty, odd or even."))
    area = CatchmentArea(
        school=school,
        year=int(year),
        community=community,
        road=(row.get("road") or "").strip(),
        number_from=_number(row.get("number_from")),
        number_to=_number(row.get("number_to")),
        parity=parity,
        building=(row.get("building") or "").strip(),
    )
    _check(area)
    return area


def _check(area: CatchmentArea) -> None:
    if area.number_from is not None and area.number_to is not None and area.number_from > area.number_to:
        raise ValueError(_("The first house number is larger than the last."))
    detailed = area.number_from is not None or area.number_to is not None or area.building or area.parity != "any"
    if detailed and not area.road:
        raise ValueError(_("House numbers, odd/even and buildings need a road."))


def catchment_rows(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The CSV file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)},
            code="catchment_columns",
        )
    return list(reader)


@transaction.atomic
def catchment_import(*, text: str) -> int:
    """Replace the catchment of every (school, year) named in the CSV ``text`` with its rows.

    All or nothing: if any row is wrong, raises ``ValidationError`` listing every wrong row (by its
    line number in the file) and writes nothing. Returns the number of areas written.
    """
    rows = catchment_rows(text)
    schools = {school.code: school for school in School.objects.all()}
    communities = {(c.district, c.subdistrict, c.name): c for c in Community.objects.all()}
    areas, errors = [], []
    for line, row in enumerate(rows, start=2):
        try:
            areas.append(_area(row, schools, communities))
        except ValueError as exc:
            errors.append(_("Line %(line)s: %(error)s") % {"line": line, "error": exc})
    if not rows:
        errors.append(_("The CSV file has no rows."))
    if errors:
        raise ValidationError(errors, code="catchment_rows")
    for school, year in {(area.school, area.year) for area in areas}:
        CatchmentArea.objects.filter(school=school, year=year).delete()
    for area in areas:
        area.save()  # one by one so that django-simple-history records each area
    return len(areas)
