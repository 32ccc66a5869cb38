"""Who the school side and the sync concern: children of school age, one rule for all of them.

A person is of school age on a day when their age that day lies between ``EDU_SYNC_MIN_AGE`` and
``EDU_SYNC_MAX_AGE`` (inclusive; 0 and 17 by default, i.e. under 18: compulsory education from 6
to 15, then senior secondary). The eligibility lookup (age on the day of the lookup), the school
notices (age today), the sync push (age on the day of the change) and the reconciliation all use
``is_school_age`` or its filter form ``school_age_q``; docs/sync-protocol.md states the ages.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_school_age(person, *, on: dt.date) -> bool:
    """Whether ``person`` was aged ``EDU_SYNC_MIN_AGE``..``EDU_SYNC_MAX_AGE`` (inclusive) on ``on``."""
    return settings.EDU_SYNC_MIN_AGE <= age_on(person.birth_date, on) <= settings.EDU_SYNC_MAX_AGE


def school_age_q(*, on: dt.date, prefix: str = "") -> Q:
    """The same rule as a filter on ``<prefix>birth_date``."""
    return Q(
        **{
            f"{prefix}birth_date__gt": _years_before(on, settings.EDU_SYNC_MAX_AGE + 1),
            f"{prefix}birth_date__lte": _years_before(on, settings.EDU_SYNC_MIN_AGE),
        }
    )
