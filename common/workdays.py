"""Chinese working days: weekends and statutory holidays do not count, make-up days (调休) do.

The statutory calendar comes from the maintained chinese-calendar library; ``CalendarOverride``
rows (admin) win over it. For a year the installed library does not know yet, a day is a working
day if it is a weekday, unless an override says otherwise; that fallback is logged once per year
so operators know to upgrade the library or enter the year's holidays as overrides.
"""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

logger = logging.getLogger(__name__)
_warned_years: set[int] = set()


def _overrides(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    from common.models import CalendarOverride

    rows = CalendarOverride.objects.filter(date__range=(first, last)).values_list("date", "is_working_day")
    return dict(rows)


def _statutory_working_day(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinese-calendar does not know %s: counting weekdays only, plus calendar overrides.", day.year
            )
        return day.weekday() < 5


def _is_working(day: dt.date, overrides: dict[dt.date, bool]) -> bool:
    if day in overrides:
        return overrides[day]
    return _statutory_working_day(day)


def is_working_day(day: dt.date) -> bool:
    """True if ``day`` is a working day at the station (overrides first, then the law)."""
    return _is_working(day, _overrides(day, day))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start`` (``start`` itself does not count).

    A case received on Friday with a 1-day limit is due on the next working day. ``n = 0``
    returns ``start`` unchanged.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    # Generous window: even Spring Festival plus weekends cannot stretch n days past 3n + 30;
    # one query for the whole walk, another only if it somehow runs past the window.
    horizon = start + dt.timedelta(days=3 * n + 30)
    overrides = _overrides(start, horizon)
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        if day > horizon:
            horizon = day + dt.timedelta(days=60)
            overrides.update(_overrides(day, horizon))
        if _is_working(day, overrides):
            counted += 1
    return day


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after ``a`` up to and including ``b`` (negative if ``b`` is before ``a``).

    So ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    return WorkingCalendar(min(a, b), max(a, b)).between(a, b)


class WorkingCalendar:
    """The calendar from ``first`` to ``last``, overrides read once (one query): for counting
    many spans inside it, e.g. the idle days of every open case of a station."""

    def __init__(self, first: dt.date, last: dt.date):
        self.first, self.last = first, last
        self._overrides = _overrides(first, last)

    def between(self, a: dt.date, b: dt.date) -> int:
        """As ``working_days_between``; both dates must lie inside the calendar's range."""
        if b < a:
            return -self.between(b, a)
        if a < self.first or b > self.last:
            raise ValueError("dates outside the calendar's range")
        days = (b - a).days
        return sum(_is_working(a + dt.timedelta(days=i), self._overrides) for i in range(1, days + 1))
