"""End to end: a station admin changes the schedule in the Django admin (a closure, a closed
window); bookings that no longer fit are flagged, never dropped, each applicant gets one text
through common.notifications, the station admin sees the list and the parent may choose again."""

import datetime as dt

import pytest
from django.urls import reverse

from appointments.models import Booking, ScheduleRule, Slot
from appointments.services.booking import booking_create, booking_create_proxy
from appointments.tasks import slots_generate_station_task
from tests.appointments.fixtures import at, id_number, rule_form, tomorrow
from tests.sms_gateway import texts_to

pytestmark = pytest.mark.django_db


def _changed_hours_texts(gateway, mobile):
    """Texts saying the booking needs a new time (reminders of the day before may come too)."""
    return [text for text in texts_to(gateway, mobile) if "调整" in text]


def test_a_closure_added_in_the_admin_flags_the_booking_texts_the_parent_once_and_lists_it(
    client,
    staff_admin_east,
    parent,
    east,
    east_schedule,
    birth,
    sms_gateway,
    celery_eager,
    django_capture_on_commit_callbacks,
):
    two_pm = Slot.objects.get(station=east, starts_at=at(tomorrow(), 14))
    booking = booking_create(account=parent, slot_id=two_pm.pk, business_type_id=birth.pk)
    client.force_login(staff_admin_east)
    day = tomorrow().isoformat()
    form = rule_form(
        east, name="下午停业", kind=ScheduleRule.Kind.CLOSURE, valid_from=day, valid_until=day, opens="13:30"
    )

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("admin:appointments_schedulerule_add"), form)

    assert answer.status_code == 302, answer.content.decode()[:2000]
    booking.refresh_from_db()
    two_pm.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED and booking.flagged_at is not None  # kept, flagged
    assert not two_pm.is_active
    texts = _changed_hours_texts(sms_gateway, "13800000001")
    assert len(texts) == 1 and booking.code in texts[0]
    desk = client.get(reverse("appointments:station_desk")).content.decode()
    assert booking.code in desk and "派出所调整了办公时间" in desk
    client.force_login(parent)
    detail = client.get(reverse("appointments:booking_detail", args=[booking.code])).content.decode()
    assert reverse("appointments:booking_reschedule", args=[booking.code]) in detail and "另选时间" in detail

    slots_generate_station_task(east.pk)  # the hourly run again: nothing new, no second text

    assert len(_changed_hours_texts(sms_gateway, "13800000001")) == 1


def test_closing_a_window_in_the_admin_flags_the_latest_bookings_beyond_the_new_capacity(
    client,
    staff_admin_east,
    clerk_east,
    east,
    east_schedule,
    birth,
    sms_gateway,
    celery_eager,
    django_capture_on_commit_callbacks,
):
    nine = Slot.objects.get(station=east, starts_at=at(tomorrow(), 9))
    bookings = [
        booking_create_proxy(
            clerk=clerk_east,
            slot_id=nine.pk,
            business_type_id=birth.pk,
            applicant_name=f"申请人{n}",
            applicant_id_number=id_number(40 + n),
            applicant_phone=f"1390000010{n}",
        )
        for n in range(6)  # 3 windows × 2 places: full
    ]
    window = east.windows.get(number=3)
    client.force_login(staff_admin_east)
    form = {"station": east.pk, "number": 3, "name": window.name, "kind": window.kind}  # "open" unticked

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("admin:appointments_window_change", args=[window.pk]), form)

    assert answer.status_code == 302
    flagged = set(Booking.objects.filter(flagged_at__isnull=False).values_list("pk", flat=True))
    assert flagged == {bookings[4].pk, bookings[5].pk}  # the two latest; nobody dropped
    assert Booking.objects.filter(status=Booking.Status.BOOKED).count() == 6
    nine.refresh_from_db()
    assert nine.booked == 6 and nine.capacity == 6  # kept as booked, no new place offered
    assert [len(_changed_hours_texts(sms_gateway, f"1390000010{n}")) for n in range(6)] == [0, 0, 0, 0, 1, 1]


def test_shortened_hours_through_the_admin_flag_the_early_booking(
    client,
    staff_admin_east,
    clerk_east,
    east,
    east_schedule,
    birth,
    sms_gateway,
    celery_eager,
    django_capture_on_commit_callbacks,
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
    client.force_login(staff_admin_east)
    form = rule_form(east_schedule, opens="10:00", lunch_start="12:00", lunch_end="13:30")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:appointments_schedulerule_change", args=[east_schedule.pk]), form)

    booking.refresh_from_db()
    assert booking.flagged_at is not None and booking.status == Booking.Status.BOOKED
    assert Slot.objects.filter(station=east, starts_at=at(tomorrow(), 9), is_active=True).count() == 0
    assert len(_changed_hours_texts(sms_gateway, "13900000002")) == 1
    assert dt.time(10, 0) == ScheduleRule.objects.get(pk=east_schedule.pk).opens
