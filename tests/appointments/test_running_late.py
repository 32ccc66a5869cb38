"""Running late, both ways: a station that runs behind tells the parents booked later today
(once), a parent says "I'm running late" within the check-in window, and the console counts
down the no-show grace period of a called ticket."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Booking, Reminder, Slot, Ticket
from appointments.services import queue as q
from appointments.services.booking import booking_create
from appointments.services.reminders import running_late_notify
from appointments.services.sanctions import bookings_mark_no_show
from tests.appointments.queue_helpers import booked_today, slot_today
from tests.sms_gateway import texts_to

pytestmark = pytest.mark.django_db


def _waiting_booked_ticket(station, business, *, due_minutes_ago: int, serial: int) -> Ticket:
    return Ticket.objects.create(
        station=station,
        day=timezone.localdate(),
        series=Ticket.Series.BOOKED,
        serial=serial,
        number=f"A{serial:03d}",
        business_type=business,
        due_at=timezone.now() - dt.timedelta(minutes=due_minutes_ago),
    )


def test_a_station_running_behind_tells_the_parents_booked_later_today_once(
    settings, sms_gateway, east, west, clerk_east, clerk_west, birth
):
    later = booked_today(clerk_east, birth, n=1, minutes_from_now=90)  # phone 13900000001
    tomorrow = booked_today(clerk_east, birth, n=2, minutes_from_now=60 * 30)
    tomorrow.applicant_phone = "13900000003"
    tomorrow.save()
    west_later = booked_today(clerk_west, birth, n=3, minutes_from_now=90)
    west_later.applicant_phone = "13900000004"
    west_later.save()
    _waiting_booked_ticket(east, birth, due_minutes_ago=40, serial=1)  # East runs 40 minutes behind
    settings.QUEUE_RUNNING_LATE_MINUTES = 60

    assert running_late_notify() == 0  # below the threshold: nothing, and nothing claimed
    assert not Reminder.objects.filter(kind=Reminder.Kind.RUNNING_LATE).exists()

    settings.QUEUE_RUNNING_LATE_MINUTES = 30
    first, second = running_late_notify(), running_late_notify()

    assert (first, second) == (1, 0)
    texts = [text for text in texts_to(sms_gateway, "13900000001") if "晚" in text or "延" in text]
    assert len(texts) == 1 and later.code in texts[0] and "40" in texts[0]
    assert texts_to(sms_gateway, "13900000003") == [] and texts_to(sms_gateway, "13900000004") == []
    assert Reminder.objects.get(kind=Reminder.Kind.RUNNING_LATE).booking == later


def test_the_estimate_counts_booked_visitors_due_now_across_open_windows(settings, east, birth):
    from appointments.selectors.queue import station_booked_delay_minutes

    for serial in range(1, 13):  # 12 due booked visitors, 3 windows, 8 minutes each: 32 minutes
        _waiting_booked_ticket(east, birth, due_minutes_ago=0, serial=serial)

    assert station_booked_delay_minutes(station_id=east.pk) == 32


def _parent_booking_today(parent, birth, east, *, minutes_from_now: int) -> Booking:
    slot = slot_today(east, birth, minutes_from_now=minutes_from_now)
    return booking_create(account=parent, slot_id=slot.pk, business_type_id=birth.pk)


def test_a_parent_says_running_late_from_the_phone_and_the_console_shows_it(
    login, client, parent, clerk_east, east, birth
):
    booking = _parent_booking_today(parent, birth, east, minutes_from_now=5)
    login(parent)
    page = client.get(reverse("appointments:booking_detail", args=[booking.code])).content.decode()
    assert 'data-testid="running-late"' in page

    answer = client.post(reverse("appointments:booking_late", args=[booking.code]), follow=True)

    booking.refresh_from_db()
    noted_at = booking.late_notice_at
    assert noted_at is not None and booking.status == Booking.Status.BOOKED
    html = answer.content.decode()
    assert 'data-testid="late-noted"' in html and 'data-testid="running-late"' not in html
    again = client.post(reverse("appointments:booking_late", args=[booking.code]), follow=True).content.decode()
    assert "已经告知" in again
    booking.refresh_from_db()
    assert booking.late_notice_at == noted_at
    login(clerk_east)
    console = client.get(reverse("appointments:console_window", args=[east.windows.get(number=1).pk]))
    assert booking.code in console.content.decode() and 'data-testid="running-late"' in console.content.decode()


def test_running_late_is_refused_outside_the_check_in_window_and_for_others(
    login, client, parent, east, east_child, birth
):
    early = _parent_booking_today(parent, birth, east, minutes_from_now=180)
    login(parent)

    page = client.get(reverse("appointments:booking_detail", args=[early.code])).content.decode()
    refused = client.post(reverse("appointments:booking_late", args=[early.code]), follow=True).content.decode()
    api_late = client.post(
        reverse("api-booking-late", args=[early.code]), content_type="application/json"
    )  # still too early for the API too

    early.refresh_from_db()
    assert 'data-testid="running-late"' not in page
    assert "才能告知晚到" in refused and early.late_notice_at is None
    assert api_late.status_code == 400 and "才能告知晚到" in api_late.json()["message"]

    from django.core.exceptions import ValidationError

    from appointments.services.lateness import booking_running_late

    too_late = timezone.now() + dt.timedelta(minutes=180 + 16)
    with pytest.raises(ValidationError) as exc:
        booking_running_late(actor=parent, booking_id=early.pk, now=too_late)
    assert exc.value.code == "too_late"


def test_the_api_records_running_late_once(login, parent, east, birth):
    booking = _parent_booking_today(parent, birth, east, minutes_from_now=5)
    client = login(parent)

    first = client.post(reverse("api-booking-late", args=[booking.code]), content_type="application/json")
    second = client.post(reverse("api-booking-late", args=[booking.code]), content_type="application/json")

    assert first.status_code == 200 and first.json()["late_notice_at"]
    assert second.status_code == 400 and "已经告知" in second.json()["message"]


def test_the_no_show_sweep_waits_for_a_visitor_who_said_they_are_late(east, birth):
    start = timezone.now() - dt.timedelta(minutes=45)
    slot = Slot.objects.create(
        station=east, starts_at=start, ends_at=start + dt.timedelta(minutes=15), capacity=5, booked=2
    )
    common = {"station": east, "slot": slot, "business_type": birth, "applicant_name": "某"}
    late = Booking.objects.create(
        code="LATE0001", applicant_id_number="1", late_notice_at=start + dt.timedelta(minutes=5), **common
    )
    silent = Booking.objects.create(code="SILENT01", applicant_id_number="2", **common)

    bookings_mark_no_show()

    late.refresh_from_db()
    silent.refresh_from_db()
    assert late.status == Booking.Status.BOOKED and silent.status == Booking.Status.NO_SHOW


def test_the_console_counts_down_the_no_show_grace_and_names_its_keys(settings, login, clerk_east, birth, east):
    settings.QUEUE_NO_SHOW_GRACE_SECONDS = 120
    window = east.windows.get(number=1)
    q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    ticket = q.ticket_call_next(actor=clerk_east, window_id=window.pk)
    client = login(clerk_east)
    url = reverse("appointments:console_window", args=[window.pk])

    fresh = client.get(url).content.decode()
    Ticket.objects.filter(pk=ticket.pk).update(called_at=timezone.now() - dt.timedelta(seconds=121))
    later = client.get(url).content.decode()

    import re

    remaining = int(re.search(r'data-grace-remaining="(\d+)"', fresh).group(1))
    assert 110 <= remaining <= 120 and 'data-testid="grace-hint"' in fresh
    assert 'data-grace-remaining="0"' in later and 'data-testid="grace-hint"' not in later
    no_show_button = re.search(r'<button[^>]*data-testid="no-show"[^>]*>', later).group(0)
    assert "disabled" not in no_show_button
    assert 'data-key="x"' in fresh and 'data-key="r"' in fresh and "appointments/console.js" in fresh
    assert "onclick" not in fresh and "<script>" not in fresh
