"""Schedules and slots for the booking and queue tests (on top of tests/cast.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from appointments.models import ScheduleRule, Slot
from appointments.services.schedule import slots_generate
from common.idnumber import make_id_number
from hukou.models import BusinessType


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def id_number(n: int) -> str:
    return make_id_number(
        region="360102", birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=n), sequence=n % 999, male=True
    )


def open_every_day(station, *, places=2, walk_in=0, opens=dt.time(8, 30), closes=dt.time(17, 30)) -> ScheduleRule:
    """An 'extra' rule open every day, so tests do not depend on today's weekday or holidays."""
    rule = ScheduleRule.objects.create(
        station=station,
        name="every day",
        kind=ScheduleRule.Kind.EXTRA,
        opens=opens,
        closes=closes,
        lunch_start=dt.time(12, 0),
        lunch_end=dt.time(13, 30),
        slot_minutes=30,
        places_per_window=places,
        walk_in_percent=walk_in,
    )
    rule.windows.set(station.windows.all())
    return rule


@pytest.fixture
def birth(db):
    return BusinessType.objects.get(code="birth")


@pytest.fixture
def east_schedule(east):
    """East: three windows, 2 places each per 30-minute slot, no walk-in share: 6 places."""
    rule = open_every_day(east)
    slots_generate(station_id=east.pk, day=tomorrow())
    return rule


@pytest.fixture
def nine_oclock(east_schedule, birth):
    return Slot.objects.get(station=east_schedule.station, starts_at=at(tomorrow(), 9))


@pytest.fixture
def celery_eager():
    """Tasks sent with ``.delay`` run in-process (what settings do without REDIS_URL)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def staff_admin_east(admin_east):
    """East's station admin with access to the Django admin."""
    admin_east.is_staff = True
    admin_east.save(update_fields=["is_staff"])
    return admin_east


def rule_form(rule_or_station, **changes) -> dict:
    """The admin add/change form of a schedule rule as POST data."""
    rule = rule_or_station if isinstance(rule_or_station, ScheduleRule) else None
    data = {
        "station": rule.station_id if rule else rule_or_station.pk,
        "name": rule.name if rule else "新规则",
        "kind": rule.kind if rule else ScheduleRule.Kind.EXTRA,
        "weekdays": "[]",
        "valid_from": "",
        "valid_until": "",
        "opens": "08:30",
        "closes": "17:30",
        "lunch_start": "",
        "lunch_end": "",
        "slot_minutes": "30",
        "places_per_window": "2",
        "walk_in_percent": "0",
        "windows": [w.pk for w in rule.windows.all()] if rule else [],
        "business_types": [],
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
