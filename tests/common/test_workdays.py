import datetime as dt

from common.models import CalendarOverride
from common.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


def test_national_day_week_is_not_working_days(db):
    assert not any(is_working_day(D(2026, 10, day)) for day in range(1, 8))


def test_it_counts_the_make_up_saturday_as_a_working_day(db):
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday (调休).
    assert is_working_day(D(2026, 10, 10))
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_a_deadline_across_national_day_skips_the_holiday(db):
    # Received on Wednesday 30 September with a 3-day limit: 8, 9 and 10 (Saturday, 调休) October.
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_ordinary_weekend_does_not_count(db):
    assert not is_working_day(D(2026, 11, 21))
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1


def test_zero_days_is_the_same_day(db):
    assert add_working_days(D(2026, 11, 22), 0) == D(2026, 11, 22)


def test_an_admin_override_wins_over_the_library(db):
    CalendarOverride.objects.create(date=D(2026, 11, 23), is_working_day=False, note="local closure")
    CalendarOverride.objects.create(date=D(2026, 11, 22), is_working_day=True, note="extra Sunday service")

    assert not is_working_day(D(2026, 11, 23))
    assert add_working_days(D(2026, 11, 21), 2) == D(2026, 11, 24)


def test_a_year_the_library_does_not_know_uses_weekdays_and_overrides(db, caplog):
    CalendarOverride.objects.create(date=D(2030, 1, 1), is_working_day=False, note="New Year")

    assert not is_working_day(D(2030, 1, 1))
    assert is_working_day(D(2030, 1, 2))
    assert not is_working_day(D(2030, 1, 5))
    assert add_working_days(D(2029, 12, 31), 1) == D(2030, 1, 2)
