"""A parent books on a phone page or the API; full slots answer 409 with the next free times."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from appointments.models import Booking, BookingSuspension, Slot
from appointments.services.booking import booking_cancel, booking_create, booking_create_proxy
from tests.appointments.fixtures import at, id_number, tomorrow

pytestmark = pytest.mark.django_db


def _fill(slot, clerk, birth):
    for i in range(slot.capacity - slot.booked):
        booking_create_proxy(
            clerk=clerk,
            slot_id=slot.pk,
            business_type_id=birth.pk,
            applicant_name=f"人{i}",
            applicant_id_number=id_number(100 + i),
        )


def test_it_books_a_child_of_the_parent_and_shows_the_confirmation(login, parent, east_child, nine_oclock, birth):
    client = login(parent)
    url = reverse("appointments:booking_slots") + f"?business_type={birth.pk}&station={nine_oclock.station_id}"

    page = client.get(url)
    response = client.post(url, {"slot": nine_oclock.pk, "applicant": str(east_child.pk)})

    assert "张小明" in page.content.decode()
    booking = Booking.objects.get()
    assert response.status_code == 302 and booking.code in response["Location"]
    assert booking.person == east_child and booking.applicant_id_number == east_child.id_number
    confirmation = client.get(response["Location"]).content.decode()
    assert booking.code in confirmation and "<svg" in confirmation  # the QR code
    assert "出生医学证明" in confirmation  # what to bring for a birth registration
    nine_oclock.refresh_from_db()
    assert nine_oclock.booked == 1


def test_it_refuses_a_person_who_is_not_the_parents_child(login, parent, west_head, nine_oclock, birth):
    url = reverse("appointments:booking_slots") + f"?business_type={birth.pk}&station={nine_oclock.station_id}"

    response = login(parent).post(url, {"slot": nine_oclock.pk, "applicant": str(west_head.pk)})

    assert response.status_code == 400
    assert "只能为本人或自己的子女预约" in response.content.decode()
    assert not Booking.objects.exists()


def test_it_refuses_a_parent_whose_identity_is_not_confirmed(login, parent, nine_oclock, birth):
    parent.real_name = "别人"
    parent.save()
    url = reverse("appointments:booking_slots") + f"?business_type={birth.pk}&station={nine_oclock.station_id}"

    page = login(parent).get(url)

    assert 'data-testid="identity-unconfirmed"' in page.content.decode()
    assert 'data-testid="book-form"' not in page.content.decode()


def test_a_full_slot_answers_409_with_the_next_free_times_on_page_and_api(
    login, parent, east_child, nine_oclock, birth, clerk_east
):
    _fill(nine_oclock, clerk_east, birth)
    client = login(parent)
    url = reverse("appointments:booking_slots") + f"?business_type={birth.pk}&station={nine_oclock.station_id}"

    page = client.post(url, {"slot": nine_oclock.pk, "applicant": "self"})
    api = client.post(
        reverse("api-booking-create"),
        {"slot": nine_oclock.pk, "business_type": birth.pk},
        content_type="application/json",
    )

    assert page.status_code == 409 and "该时段已约满" in page.content.decode()
    assert api.status_code == 409
    body = api.json()
    assert body["code"] == "slot_full" and body["message"] == "该时段已约满。"
    assert body["next_free"][0]["starts_at"].startswith(f"{tomorrow():%Y-%m-%d}T09:30")
    assert Booking.objects.filter(account=parent).count() == 0


def test_the_api_books_and_lists(login, parent, nine_oclock, birth):
    client = login(parent)

    created = client.post(
        reverse("api-booking-create"),
        {"slot": nine_oclock.pk, "business_type": birth.pk},
        content_type="application/json",
    )
    again = client.post(
        reverse("api-booking-create"),
        {"slot": nine_oclock.pk, "business_type": birth.pk},
        content_type="application/json",
    )
    listed = client.get(reverse("api-bookings"))

    assert created.status_code == 201 and created.json()["applicant_name"] == "张建华"
    assert again.status_code == 400 and again.json()["code"] == "invalid"
    assert "已有" in again.json()["message"]
    assert [b["code"] for b in listed.json()] == [created.json()["code"]]


def test_the_api_validates_input_in_the_common_error_format(login, parent):
    response = login(parent).post(reverse("api-booking-create"), {"slot": "x"}, content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"slot", "business_type"}


@override_settings(BOOKING_MAX_ACTIVE_PER_ACCOUNT=1)
def test_it_caps_active_bookings_per_account(parent, east_child, nine_oclock, birth):
    booking_create(account=parent, slot_id=nine_oclock.pk, business_type_id=birth.pk)
    later = Slot.objects.get(station=nine_oclock.station, starts_at=at(tomorrow(), 10))

    with pytest.raises(Exception) as refused:
        booking_create(account=parent, slot_id=later.pk, business_type_id=birth.pk, person_id=east_child.pk)

    assert refused.value.code == "account_cap"


def test_a_suspended_account_is_told_the_dates(login, parent, nine_oclock, birth):
    today = timezone.localdate()
    BookingSuspension.objects.create(account=parent, starts_on=today, ends_on=today + dt.timedelta(days=29), reason="x")

    page = login(parent).get(reverse("appointments:booking_home")).content.decode()
    with pytest.raises(Exception) as refused:
        booking_create(account=parent, slot_id=nine_oclock.pk, business_type_id=birth.pk)

    assert refused.value.code == "suspended"
    assert f"{today:%Y-%m-%d}" in page and f"{today + dt.timedelta(days=29):%Y-%m-%d}" in page


def test_cancel_frees_the_place_until_the_cutoff(parent, nine_oclock, birth):
    booking = booking_create(account=parent, slot_id=nine_oclock.pk, business_type_id=birth.pk)

    booking_cancel(actor=parent, booking_id=booking.pk)

    nine_oclock.refresh_from_db()
    booking.refresh_from_db()
    assert nine_oclock.booked == 0 and booking.status == Booking.Status.CANCELLED


@override_settings(BOOKING_CANCEL_CUTOFF_HOURS=72)
def test_cancel_is_refused_after_the_cutoff(parent, nine_oclock, birth):
    booking = booking_create(account=parent, slot_id=nine_oclock.pk, business_type_id=birth.pk)

    with pytest.raises(Exception) as refused:
        booking_cancel(actor=parent, booking_id=booking.pk)

    assert refused.value.code == "cutoff"
    nine_oclock.refresh_from_db()
    assert nine_oclock.booked == 1


def test_a_clerk_books_on_behalf_and_it_is_recorded(login, clerk_east, nine_oclock, birth):
    response = login(clerk_east).post(
        reverse("appointments:proxy_booking"),
        {
            "business_type": birth.pk,
            "slot": nine_oclock.pk,
            "applicant_name": "王奶奶",
            "applicant_id_number": id_number(7),
            "applicant_phone": "13900000000",
        },
    )

    booking = Booking.objects.get()
    assert response.status_code == 200 and booking.code in response.content.decode()
    assert booking.proxy_by == clerk_east and booking.account is None


def test_a_clerk_of_west_cannot_book_east_slots(clerk_west, nine_oclock, birth):
    with pytest.raises(Exception) as refused:
        booking_create_proxy(
            clerk=clerk_west,
            slot_id=nine_oclock.pk,
            business_type_id=birth.pk,
            applicant_name="某",
            applicant_id_number=id_number(8),
        )

    assert refused.value.code == "other_station"


def test_booking_pages_are_for_parents_only(login, clerk_east):
    assert login(clerk_east).get(reverse("appointments:booking_home")).status_code == 403


def test_an_unknown_business_type_is_a_clear_400_not_a_crash(login, parent, nine_oclock):
    response = login(parent).post(
        reverse("api-booking-create"), {"slot": nine_oclock.pk, "business_type": 99999}, content_type="application/json"
    )

    assert response.status_code == 400 and response.json()["message"] == "该业务已停办。"


@override_settings(BOOKING_CANCEL_CUTOFF_HOURS=72)
def test_past_the_cutoff_the_confirmation_offers_no_cancel_or_move_and_says_why(login, parent, nine_oclock, birth):
    booking = booking_create(account=parent, slot_id=nine_oclock.pk, business_type_id=birth.pk)

    page = login(parent).get(reverse("appointments:booking_detail", args=[booking.code])).content.decode()

    assert 'data-testid="cancel"' not in page
    assert reverse("appointments:booking_reschedule", args=[booking.code]) not in page
    assert "预约时间前 72 小时内不能取消或改约。" in page


def test_before_the_cutoff_the_confirmation_offers_cancel_and_move(login, parent, nine_oclock, birth):
    booking = booking_create(account=parent, slot_id=nine_oclock.pk, business_type_id=birth.pk)

    page = login(parent).get(reverse("appointments:booking_detail", args=[booking.code])).content.decode()

    assert 'data-testid="cancel"' in page
    assert reverse("appointments:booking_reschedule", args=[booking.code]) in page
    assert 'data-testid="changes-closed"' not in page


def test_the_confirmation_qr_code_is_a_regular_qr_code_that_phone_scanners_read(login, parent, nine_oclock, birth):
    booking = booking_create(account=parent, slot_id=nine_oclock.pk, business_type_id=birth.pk)

    page = login(parent).get(reverse("appointments:booking_detail", args=[booking.code])).content.decode()

    # A short code would fit a Micro QR (11–17 modules, one finder pattern), which WeChat cannot
    # read; a regular QR code has 21 + 4k modules plus a 4-module quiet zone on each side.
    side = int(re.search(r'<svg viewBox="0 0 (\d+) \1"', page).group(1)) // 5 - 8
    assert side >= 21 and (side - 21) % 4 == 0
