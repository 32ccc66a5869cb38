"""Issue #11, finding 9, for the apps that came after it: every page of appointments and
documents that shows personal data writes an access-log entry under the owning station (the
clerk's own for staff; the child's application's station for a parent)."""

import pytest
from django.urls import reverse

from appointments.models import Window
from documents.models import Application
from hukou.models import AccessLog
from tests.appointments.queue_helpers import booked_today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]


def _one(target_prefix: str) -> AccessLog:
    entries = [entry for entry in AccessLog.objects.order_by("pk") if entry.target.startswith(target_prefix)]
    assert entries, (
        f"no access-log entry for {target_prefix}: {list(AccessLog.objects.values_list('target', flat=True))}"
    )
    return entries[-1]


def test_the_kiosk_check_in_by_id_number_is_logged_masked(login, clerk_east, east, birth):
    booking = booked_today(clerk_east, birth)

    answer = login(clerk_east).post(reverse("appointments:kiosk"), {"c-id_number": booking.applicant_id_number})

    assert answer.status_code == 302
    entry = _one("ticket:")
    assert (entry.user, entry.station, entry.action) == (clerk_east, east, AccessLog.Action.LOOKUP)
    assert booking.applicant_id_number not in entry.target and "checkin:" in entry.target


def test_the_window_console_is_logged_with_the_station(login, clerk_east, east, birth):
    booked_today(clerk_east, birth)
    client = login(clerk_east)
    client.post(
        reverse("appointments:kiosk"), {"c-id_number": booked_today(clerk_east, birth, n=1).applicant_id_number}
    )
    window = Window.objects.filter(station=east).order_by("number").first() or Window.objects.create(
        station=east, number=1
    )
    before = AccessLog.objects.count()

    assert client.get(reverse("appointments:console_window", args=[window.pk])).status_code == 200

    entry = AccessLog.objects.order_by("pk")[before:].get()
    assert (entry.user, entry.station, entry.purpose) == (clerk_east, east, "窗口叫号")


def test_the_station_booking_list_is_logged(login, admin_east, clerk_east, east, birth):
    booked_today(clerk_east, birth)

    assert login(admin_east).get(reverse("appointments:station_desk")).status_code == 200

    entry = _one("bookings:flagged")
    assert (entry.user, entry.station) == (admin_east, east)


@pytest.fixture
def application(client, login, parent, east_child):
    parent_client = login(parent)
    parent_client.post(reverse("documents:application_new"), {"business": "school_certificate", "child": east_child.pk})
    application = Application.objects.get()
    parent_client.post(reverse("documents:questions", args=[application.pk]), {"q_own_property": "no"})
    parent_client.logout()
    return application


def test_the_documents_station_list_names_the_children_shown(login, clerk_east, east, east_child, application):
    assert login(clerk_east).get(reverse("documents:station_list")).status_code == 200

    entry = _one("applications:station")
    assert (entry.user, entry.station) == (clerk_east, east)
    assert list(entry.persons.all()) == [east_child]


def test_the_review_screen_is_logged(login, clerk_east, east, east_child, application):
    assert login(clerk_east).get(reverse("documents:review", args=[application.pk])).status_code == 200

    entry = _one(f"application:{application.pk}")
    assert (entry.user, entry.station, entry.person) == (clerk_east, east, east_child)


def test_the_notice_page_is_logged_under_the_applications_station(login, parent, east, east_child, application):
    client = login(parent)

    answer = client.post(reverse("documents:notice_new", args=[application.pk]), follow=True)

    assert answer.status_code == 200
    entry = _one("notice:")
    assert (entry.user, entry.station, entry.person) == (parent, east, east_child)
