"""Check-in to a numbered ticket, the call-next rule, and every step at the window."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from appointments.models import Booking, BookingSuspension, NoShowPolicy, Ticket
from appointments.selectors.queue import ticket_next_for_window, ticket_position
from appointments.services import queue as q
from tests.appointments.queue_helpers import booked_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def window1(east):
    return east.windows.get(number=1)


def test_it_checks_in_a_booking_by_code_at_the_kiosk_and_prints_a_ticket(login, aux_east, clerk_east, birth):
    booking = booked_today(clerk_east, birth)

    response = login(aux_east).post(reverse("appointments:kiosk"), {"c-code": booking.code.lower(), "check_in": "1"})

    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "appointments:ticket_print", args=[ticket.pk]
    )
    assert ticket.number == "A001" and ticket.due_at == booking.slot.starts_at
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    receipt = login(aux_east).get(response["Location"]).content.decode()
    assert "A001" in receipt and "<svg" in receipt


def test_it_checks_in_by_id_number_and_refuses_twice(clerk_east, birth):
    booking = booked_today(clerk_east, birth)

    q.ticket_check_in(station_id=clerk_east.station_id, id_number=booking.applicant_id_number)
    with pytest.raises(ValidationError) as refused:
        q.ticket_check_in(station_id=clerk_east.station_id, id_number=booking.applicant_id_number)

    assert refused.value.code == "no_booking"


def test_the_kiosk_shows_a_chinese_error_for_an_unknown_code(login, aux_east):
    page = login(aux_east).post(reverse("appointments:kiosk"), {"c-code": "NOPE", "check_in": "1"}).content.decode()

    assert "未找到今天在本所的相应预约" in page
    assert not Ticket.objects.exists()


def test_a_visitor_too_early_is_refused_and_too_late_joins_the_walk_in_line(clerk_east, birth):
    early = booked_today(clerk_east, birth, 1, minutes_from_now=180)
    late = booked_today(clerk_east, birth, 2)
    past = timezone.now() - dt.timedelta(minutes=30)
    type(late.slot).objects.filter(pk=late.slot_id).update(starts_at=past, ends_at=past + dt.timedelta(minutes=15))

    with pytest.raises(ValidationError) as refused:
        q.ticket_check_in(station_id=clerk_east.station_id, code=early.code)
    ticket = q.ticket_check_in(station_id=clerk_east.station_id, code=late.code)

    assert refused.value.code == "too_early"
    assert ticket.series == Ticket.Series.WALK_IN and ticket.number == "B001" and ticket.due_at is None


def test_call_next_serves_due_bookings_then_priority_then_walk_ins_in_order(clerk_east, birth, window1):
    walk_in = q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    priority = q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk, priority=True)
    early_bird = q.ticket_check_in(
        station_id=clerk_east.station_id, code=booked_today(clerk_east, birth, 1, minutes_from_now=50).code
    )
    due = q.ticket_check_in(
        station_id=clerk_east.station_id, code=booked_today(clerk_east, birth, 2, minutes_from_now=3).code
    )

    order = []
    for _ in range(4):
        ticket = q.ticket_call_next(actor=clerk_east, window_id=window1.pk)
        order.append(ticket.number)
        q.ticket_start(actor=clerk_east, ticket_id=ticket.pk)
        q.ticket_finish(actor=clerk_east, ticket_id=ticket.pk)

    assert order == [due.number, priority.number, walk_in.number, early_bird.number]
    assert q.ticket_call_next(actor=clerk_east, window_id=window1.pk) is None


def test_call_next_is_refused_while_the_window_has_a_called_ticket(clerk_east, birth, window1):
    q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    q.ticket_call_next(actor=clerk_east, window_id=window1.pk)

    with pytest.raises(ValidationError) as refused:
        q.ticket_call_next(actor=clerk_east, window_id=window1.pk)

    assert refused.value.code == "window_busy"


def test_position_counts_the_people_the_rule_calls_first(clerk_east, birth):
    first = q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    second = q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    priority = q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk, priority=True)

    assert [ticket_position(ticket=t) for t in (first, second, priority)] == [1, 2, 0]


def test_call_next_costs_the_same_queries_for_1_or_30_waiting(clerk_east, birth, window1, django_assert_num_queries):
    def call_next_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            ticket = q.ticket_call_next(actor=clerk_east, window_id=window1.pk)
        q.ticket_start(actor=clerk_east, ticket_id=ticket.pk)
        q.ticket_finish(actor=clerk_east, ticket_id=ticket.pk)
        return len(ctx.captured_queries)

    q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    few = call_next_queries()
    for _ in range(30):
        q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    many = call_next_queries()

    assert few == many <= 4, (few, many)  # lock the window (with "busy?"), one UPDATE … RETURNING, commit


def test_recall_no_show_after_grace_and_the_policy_suspends_after_three(clerk_east, birth, window1):
    NoShowPolicy.objects.create(no_shows=3, within_days=90, suspend_days=30)
    from tests.cast import _user

    parent_account = _user("13811112222", "parent", mobile="13811112222")
    for n in range(3):
        booking = booked_today(clerk_east, birth, 10 + n)
        Booking.objects.filter(pk=booking.pk).update(account=parent_account, proxy_by=None)
        ticket = q.ticket_check_in(station_id=clerk_east.station_id, code=booking.code)
        q.ticket_call(actor=clerk_east, ticket_id=ticket.pk, window_id=window1.pk)
        recalled = q.ticket_recall(actor=clerk_east, ticket_id=ticket.pk)
        assert recalled.call_count == 2
        with override_settings(QUEUE_NO_SHOW_GRACE_SECONDS=3600), pytest.raises(ValidationError):
            q.ticket_no_show(actor=clerk_east, ticket_id=ticket.pk)
        with override_settings(QUEUE_NO_SHOW_GRACE_SECONDS=0):
            q.ticket_no_show(actor=clerk_east, ticket_id=ticket.pk)

    suspension = BookingSuspension.objects.get(account=parent_account)
    today = timezone.localdate()
    assert (suspension.starts_on, suspension.ends_on) == (today, today + dt.timedelta(days=29))
    assert Booking.objects.filter(account=parent_account, status=Booking.Status.NO_SHOW).count() == 3


def test_a_transferred_ticket_is_called_first_at_its_new_window(clerk_east, birth, east, window1):
    window2 = east.windows.get(number=2)
    q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    moved = q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)
    q.ticket_call(actor=clerk_east, ticket_id=moved.pk, window_id=window1.pk)

    q.ticket_transfer(actor=clerk_east, ticket_id=moved.pk, window_id=window2.pk)

    assert ticket_next_for_window(window=window2).pk == moved.pk
    assert ticket_next_for_window(window=window1).pk != moved.pk


def test_finish_opens_receive_a_case_prefilled_and_the_ticket_remembers_the_case(
    login, clerk_east, birth, window1, east_head
):
    booking = booked_today(clerk_east, birth)
    ticket = q.ticket_check_in(station_id=clerk_east.station_id, code=booking.code)
    client = login(clerk_east)
    client.post(reverse("appointments:console_action", args=[window1.pk, "call_next"]))
    client.post(reverse("appointments:console_action", args=[window1.pk, "start"]), {"ticket": ticket.pk})

    done = client.post(reverse("appointments:console_action", args=[window1.pk, "finish"]), {"ticket": ticket.pk})
    receive_url = client.get(done["Location"]).context["receive_url"]
    form_page = client.get(receive_url)

    assert form_page.context["form"].initial["applicant_name"] == "预约人0"
    assert form_page.context["form"].initial["applicant_id_number"] == booking.applicant_id_number
    from hukou.models import Case

    case = Case.objects.create(
        number="EAST-X-1",
        business_type=birth,
        station_id=clerk_east.station_id,
        applicant_name="预约人0",
        received_by=clerk_east,
        received_at=timezone.now(),
        due_on=timezone.localdate(),
    )
    back = client.get(reverse("appointments:ticket_case_return", args=[ticket.pk]) + f"?case={case.pk}")
    ticket.refresh_from_db()
    assert back.status_code == 302 and ticket.case == case and ticket.status == Ticket.Status.DONE


def test_a_clerk_of_west_cannot_call_east_tickets(login, clerk_east, clerk_west, birth, window1):
    ticket = q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)

    api = login(clerk_west).post(
        reverse("api-ticket-call", args=[ticket.pk]), {"window": window1.pk}, content_type="application/json"
    )
    console = login(clerk_west).get(reverse("appointments:console_window", args=[window1.pk]))

    assert api.status_code == 404 and console.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING


def test_the_console_shows_the_queue_and_parents_cannot_open_it(login, clerk_east, parent, birth, window1):
    q.ticket_walk_in(station_id=clerk_east.station_id, business_type_id=birth.pk)

    page = login(clerk_east).get(reverse("appointments:console_window", args=[window1.pk])).content.decode()

    assert "B001" in page and "叫下一位" in page
    assert login(parent).get(reverse("appointments:console")).status_code == 403


def test_the_admin_call_action_goes_through_the_call_service(client, sysadmin, clerk_east, birth, east):
    from appointments.models import TicketCall

    ticket = q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    client.force_login(sysadmin)

    client.post(
        reverse("admin:appointments_ticket_changelist"),
        {"action": "call_to_first_window", "_selected_action": [ticket.pk]},
    )

    call = TicketCall.objects.get()
    assert call.ticket == ticket and call.window.number == 1 and call.by == sysadmin
