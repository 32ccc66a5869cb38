"""A station admin in the Django admin sees and edits only their own station's schedules,
windows, bookings, tickets and follow-ups: lists, change pages by id, deletes, history, and
adding a rule with another station's window or station are all refused."""

import pytest
from django.urls import reverse

from appointments.models import Booking, FollowUp, ScheduleRule, Ticket, Window
from appointments.services.booking import booking_create_proxy
from appointments.services.feedback import follow_up_open
from appointments.services.queue import ticket_walk_in
from appointments.services.schedule import slots_generate
from tests.appointments.fixtures import at, id_number, open_every_day, rule_form, tomorrow

pytestmark = pytest.mark.django_db

MODELS = ["schedulerule", "window", "booking", "ticket", "followup", "slot"]


@pytest.fixture
def west_rows(west, clerk_west, birth):
    rule = open_every_day(west)
    rule.name = "西城常规"
    rule.save()
    slots_generate(station_id=west.pk, day=tomorrow())
    slot = west.slots.get(starts_at=at(tomorrow(), 9))
    booking = booking_create_proxy(
        clerk=clerk_west,
        slot_id=slot.pk,
        business_type_id=birth.pk,
        applicant_name="西城申请人",
        applicant_id_number=id_number(77),
    )
    ticket = ticket_walk_in(station_id=west.pk, business_type_id=birth.pk, applicant_name="西城取号人")
    follow_up = follow_up_open(station_id=west.pk, text="西城办不成")
    return {
        "schedulerule": rule,
        "window": west.windows.get(number=1),
        "booking": booking,
        "ticket": ticket,
        "followup": follow_up,
        "slot": slot,
    }


@pytest.fixture
def east_admin_client(client, staff_admin_east, east_schedule):
    client.force_login(staff_admin_east)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_the_lists_show_only_the_own_station(east_admin_client, west_rows, model):
    page = east_admin_client.get(reverse(f"admin:appointments_{model}_changelist"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "西城" not in html  # no West row, and West is not even offered in the station filter
    if model in ("schedulerule", "window", "slot"):
        assert "东城派出所" in html


@pytest.mark.parametrize("model", MODELS)
def test_a_change_page_of_another_station_by_id_is_not_found(east_admin_client, west_rows, model):
    url = reverse(f"admin:appointments_{model}_change", args=[west_rows[model].pk])

    page = east_admin_client.get(url)

    assert page.status_code == 302 and page.url == reverse("admin:index")  # "does not exist"
    assert "西城" not in east_admin_client.get(page.url).content.decode()


def test_posting_a_change_or_delete_of_another_stations_rule_changes_nothing(east_admin_client, west_rows):
    rule = west_rows["schedulerule"]

    east_admin_client.post(
        reverse("admin:appointments_schedulerule_change", args=[rule.pk]), rule_form(rule, name="改了", opens="10:00")
    )
    east_admin_client.post(reverse("admin:appointments_schedulerule_delete", args=[rule.pk]), {"post": "yes"})
    east_admin_client.post(
        reverse("admin:appointments_window_change", args=[west_rows["window"].pk]),
        {"station": rule.station_id, "number": 1, "name": "改了", "kind": "general"},
    )
    history = east_admin_client.get(reverse("admin:appointments_schedulerule_history", args=[rule.pk]))

    rule.refresh_from_db()
    assert rule.name == "西城常规" and str(rule.opens) == "08:30:00"
    assert Window.objects.get(pk=west_rows["window"].pk).name != "改了" and west_rows["window"].is_open
    assert history.status_code in (403, 404)


def test_a_bulk_delete_cannot_reach_another_stations_window(east_admin_client, west_rows, east):
    west_window = west_rows["window"]
    own = Window.objects.create(station=east, number=8, name="临时窗口")

    east_admin_client.post(
        reverse("admin:appointments_window_changelist"),
        {"action": "delete_selected", "_selected_action": [west_window.pk, own.pk], "post": "yes"},
    )

    assert Window.objects.filter(pk=west_window.pk).exists()
    assert not Window.objects.filter(pk=own.pk).exists()


def test_adding_a_rule_with_another_stations_window_or_station_is_refused(east_admin_client, west_rows, east):
    west_window = west_rows["window"]
    before = ScheduleRule.objects.count()

    with_window = east_admin_client.post(
        reverse("admin:appointments_schedulerule_add"), rule_form(east, name="偷窗口", windows=[west_window.pk])
    )
    with_station = east_admin_client.post(
        reverse("admin:appointments_schedulerule_add"), rule_form(west_rows["schedulerule"].station, name="偷派出所")
    )

    assert with_window.status_code == 200 and with_station.status_code == 200  # the form again, with errors
    assert "选择一个有效的选项" in with_window.content.decode() + with_station.content.decode()
    assert ScheduleRule.objects.count() == before


def test_the_east_admin_adds_and_edits_their_own_rule(east_admin_client, west_rows, east, celery_eager):
    window = east.windows.get(number=1)

    added = east_admin_client.post(
        reverse("admin:appointments_schedulerule_add"), rule_form(east, name="周六专窗", windows=[window.pk])
    )

    assert added.status_code == 302
    rule = ScheduleRule.objects.get(name="周六专窗")
    assert rule.station == east and list(rule.windows.all()) == [window]
    changed = east_admin_client.post(
        reverse("admin:appointments_schedulerule_change", args=[rule.pk]), rule_form(rule, closes="12:00")
    )
    assert changed.status_code == 302 and str(ScheduleRule.objects.get(pk=rule.pk).closes) == "12:00:00"


def test_bookings_tickets_and_follow_ups_are_read_only_even_at_the_own_station(east_admin_client, clerk_east, birth):
    ticket = ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    follow_up = follow_up_open(station_id=clerk_east.station_id, text="东城办不成")

    page = east_admin_client.get(reverse("admin:appointments_ticket_change", args=[ticket.pk]))
    east_admin_client.post(reverse("admin:appointments_followup_delete", args=[follow_up.pk]), {"post": "yes"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert FollowUp.objects.filter(pk=follow_up.pk).exists()


def test_a_system_admin_sees_both_stations(client, sysadmin, west_rows, east_schedule):
    client.force_login(sysadmin)

    html = client.get(reverse("admin:appointments_schedulerule_changelist")).content.decode()

    assert "西城常规" in html and "东城派出所" in html
    assert Booking.objects.count() == 1 and Ticket.objects.count() == 1
