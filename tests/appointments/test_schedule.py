"""Schedule rules as data: lunch breaks, holidays and 调休, seasonal peaks, school-only
Saturdays, closures; a rule change flags bookings that no longer fit and tells the applicants."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Booking, Reminder, ScheduleRule, Slot
from appointments.services.booking import booking_create_proxy
from appointments.services.schedule import slots_generate, slots_plan
from common.models import CalendarOverride
from hukou.models import BusinessType
from tests.appointments.fixtures import at, id_number, tomorrow

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 1)  # an ordinary working day
NATIONAL_DAY = dt.date(2026, 10, 1)  # statutory holiday (Thursday)


def _regular(station, **extra):
    rule = ScheduleRule.objects.create(
        station=station,
        name="常规",
        kind=ScheduleRule.Kind.REGULAR,
        opens=dt.time(8, 30),
        closes=dt.time(17, 30),
        lunch_start=dt.time(12, 0),
        lunch_end=dt.time(14, 0),
        slot_minutes=15,
        places_per_window=2,
        walk_in_percent=50,
        **extra,
    )
    rule.windows.set(station.windows.all())
    return rule


def _times(plan):
    return [timezone.localtime(p.starts_at).strftime("%H:%M") for p in plan]


def test_regular_hours_skip_lunch_and_keep_the_walk_in_share(east):
    _regular(east)

    plan = slots_plan(station_id=east.pk, day=MONDAY)

    times = _times(plan)
    assert times[0] == "08:30" and times[-1] == "17:15"
    assert "11:45" in times and "12:00" not in times and "13:45" not in times and "14:00" in times
    assert {p.capacity for p in plan} == {3}  # 3 windows × 2 places, half kept for walk-ins


def test_statutory_holidays_are_closed_and_overrides_win(east):
    _regular(east)
    make_up = dt.date(2026, 6, 6)  # a Saturday declared a working day by an admin override
    CalendarOverride.objects.create(date=make_up, is_working_day=True, note="调休")

    assert slots_plan(station_id=east.pk, day=NATIONAL_DAY) == []
    assert slots_plan(station_id=east.pk, day=make_up) != []


def test_the_august_peak_replaces_regular_hours_with_extra_windows(east):
    _regular(east)
    extra_window = east.windows.create(number=9, name="高峰窗口")
    peak = ScheduleRule.objects.create(
        station=east,
        name="八月高峰",
        kind=ScheduleRule.Kind.SEASONAL,
        valid_from=dt.date(2026, 8, 1),
        valid_until=dt.date(2026, 8, 31),
        opens=dt.time(8, 0),
        closes=dt.time(20, 0),
        slot_minutes=15,
        places_per_window=2,
        walk_in_percent=0,
    )
    peak.windows.set([*east.windows.all()])

    august = _times(slots_plan(station_id=east.pk, day=dt.date(2026, 8, 3)))
    july = _times(slots_plan(station_id=east.pk, day=dt.date(2026, 7, 6)))

    assert august[0] == "08:00" and august[-1] == "19:45" and "12:30" in august
    assert july[0] == "08:30"
    assert slots_plan(station_id=east.pk, day=dt.date(2026, 8, 3))[0].capacity == 8
    assert extra_window.is_open


def test_a_saturday_morning_window_serves_school_business_only(east):
    school = BusinessType.objects.get(code="school_certificate")
    saturday = ScheduleRule.objects.create(
        station=east,
        name="周六入学专窗",
        kind=ScheduleRule.Kind.EXTRA,
        weekdays=[5],
        opens=dt.time(9, 0),
        closes=dt.time(12, 0),
        slot_minutes=30,
        places_per_window=4,
        walk_in_percent=0,
    )
    saturday.windows.set([east.windows.get(number=3)])
    saturday.business_types.set([school])

    plan = slots_plan(station_id=east.pk, day=dt.date(2026, 6, 6))

    assert len(plan) == 6 and {p.business_type_ids for p in plan} == {frozenset({school.pk})}
    assert slots_plan(station_id=east.pk, day=dt.date(2026, 6, 7)) == []  # Sunday


def test_a_closure_removes_the_afternoon(east):
    _regular(east)
    ScheduleRule.objects.create(
        station=east,
        name="下午停业",
        kind=ScheduleRule.Kind.CLOSURE,
        valid_from=MONDAY,
        valid_until=MONDAY,
        opens=dt.time(14, 0),
        closes=dt.time(17, 30),
    )

    times = _times(slots_plan(station_id=east.pk, day=MONDAY))

    assert times[-1] == "11:45"


def test_a_rule_change_flags_bookings_that_no_longer_fit_and_tells_the_applicants(
    login, east, east_schedule, clerk_east, admin_east, birth
):
    nine = Slot.objects.get(station=east, starts_at=at(tomorrow(), 9))
    booking = booking_create_proxy(
        clerk=clerk_east,
        slot_id=nine.pk,
        business_type_id=birth.pk,
        applicant_name="王某",
        applicant_id_number=id_number(3),
        applicant_phone="13900000002",
    )
    east_schedule.opens = dt.time(10, 0)  # the station opens later: 9:00 no longer exists
    east_schedule.save()

    flagged = slots_generate(station_id=east.pk, day=tomorrow())

    booking.refresh_from_db()
    nine.refresh_from_db()
    assert flagged == [booking.pk]
    assert booking.status == Booking.Status.BOOKED and booking.flagged_at is not None  # never dropped
    assert not nine.is_active
    assert Reminder.objects.filter(booking=booking, kind=Reminder.Kind.RESCHEDULE).exists()
    page = login(admin_east).get(reverse("appointments:station_desk")).content.decode()
    assert booking.code in page and "派出所调整了办公时间" in page


def test_generation_is_idempotent(east, east_schedule):
    before = Slot.objects.filter(station=east).count()

    assert slots_generate(station_id=east.pk, day=tomorrow()) == []
    assert Slot.objects.filter(station=east).count() == before
