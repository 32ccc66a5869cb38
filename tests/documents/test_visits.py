"""Booking meets pre-review: the tie, the materials provider, check-in and receiving the case
from the ticket (documents/services/visits.py, documents/bridge.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments.models import Booking, Ticket
from appointments.selectors import materials as materials_selectors
from appointments.selectors.materials import materials_for_booking, materials_for_ticket
from appointments.services import queue as q
from appointments.services.booking import booking_reschedule
from documents.models import Application, ApplicationItem
from documents.services.applications import application_answer, application_start
from documents.services.visits import (
    application_receive_from_ticket,
    application_start_for_booking,
    application_tie_booking,
)
from hukou.models import Case
from tests.appointments.queue_helpers import slot_today
from tests.documents.visit_fixtures import ANSWERS, SCHOOL


@pytest.fixture
def tied(parent, child_booking):
    """The parent started the pre-review from the booking and answered the questions."""
    application = application_start_for_booking(user=parent, booking_code=child_booking.code)
    return application_answer(user=parent, application_id=application.pk, answers=ANSWERS)


def _mark(application, code, status, reason=""):
    ApplicationItem.objects.filter(application=application, item__code=code).update(status=status, reason=reason)


def _served_ticket(clerk, booking):
    """Check-in, call, start, finish at window 1: the ticket the clerk served."""
    ticket = q.ticket_check_in(station_id=booking.station_id, code=booking.code)
    window = clerk.station.windows.get(number=1)
    q.ticket_call(actor=clerk, ticket_id=ticket.pk, window_id=window.pk)
    q.ticket_start(actor=clerk, ticket_id=ticket.pk)
    return q.ticket_finish(actor=clerk, ticket_id=ticket.pk)


# --- the tie -------------------------------------------------------------------------------


def test_starting_from_the_booking_makes_an_application_for_the_same_business_child_and_station(
    parent, east_child, child_booking
):
    application = application_start_for_booking(user=parent, booking_code=child_booking.code)

    assert application.booking == child_booking
    assert application.checklist.business_type.code == SCHOOL
    assert application.child == east_child and application.station == child_booking.station


def test_an_open_application_is_tied_from_the_booking(parent, east_child, child_booking):
    started = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)

    application_tie_booking(user=parent, application_id=started.pk, booking_code=child_booking.code)

    assert Application.objects.get(pk=started.pk).booking == child_booking


def test_one_application_per_booking(parent, east_child, child_booking, tied):
    second = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)

    with pytest.raises(ValidationError) as refused:
        application_tie_booking(user=parent, application_id=second.pk, booking_code=child_booking.code)
    assert refused.value.code == "booking_taken"
    with pytest.raises(ValidationError):
        application_start_for_booking(user=parent, booking_code=child_booking.code)
    assert Application.objects.filter(booking=child_booking).count() == 1
    assert Application.objects.get(pk=second.pk).booking is None


def test_another_parents_booking_or_application_is_not_found_and_nothing_is_tied(
    parent, other_parent, east_child, child_booking
):
    mine = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)

    with pytest.raises(ValidationError) as refused:
        application_tie_booking(user=other_parent, application_id=mine.pk, booking_code=child_booking.code)
    assert refused.value.code == "not_found"
    with pytest.raises(ValidationError):
        application_start_for_booking(user=other_parent, booking_code=child_booking.code)
    assert not Application.objects.filter(booking__isnull=False).exists()
    assert Application.objects.count() == 1


def test_a_booking_for_another_business_or_person_is_refused_with_a_reason(parent, east_child, school, birth):
    mine = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)
    from appointments.services.booking import booking_create

    for_myself = booking_create(
        account=parent, slot_id=slot_today(east_child.household.station, school).pk, business_type_id=school.pk
    )
    with pytest.raises(ValidationError) as refused:
        application_tie_booking(user=parent, application_id=mine.pk, booking_code=for_myself.code)
    assert refused.value.code == "other_person" and "不是同一人" in refused.value.messages[0]

    birth_slot = slot_today(east_child.household.station, birth, minutes_from_now=40)
    other_business = booking_create(
        account=parent, slot_id=birth_slot.pk, business_type_id=birth.pk, person_id=east_child.pk
    )
    with pytest.raises(ValidationError) as refused:
        application_tie_booking(user=parent, application_id=mine.pk, booking_code=other_business.code)
    assert refused.value.code == "other_business"
    assert Application.objects.get(pk=mine.pk).booking is None


def test_a_moved_booking_takes_its_application_along(parent, east_child, school):
    from appointments.services.booking import booking_create

    station = east_child.household.station
    first = booking_create(
        account=parent,
        slot_id=slot_today(station, school, minutes_from_now=60 * 5).pk,
        business_type_id=school.pk,
        person_id=east_child.pk,
    )
    application = application_start_for_booking(user=parent, booking_code=first.code)
    later = slot_today(station, school, minutes_from_now=60 * 7)

    moved = booking_reschedule(actor=parent, booking_id=first.pk, slot_id=later.pk)

    application.refresh_from_db()
    assert application.booking == moved and moved.code != first.code


# --- the provider: what the parent sees on the confirmation and the slip --------------------


def test_the_confirmation_shows_each_item_with_its_verdict_and_a_link(login, parent, tied, child_booking):
    _mark(tied, "birth_medical", ApplicationItem.Status.PASSED)
    _mark(tied, "utility_bills", ApplicationItem.Status.FAILED, "缴费单日期超过3个月")

    page = login(parent).get(reverse("appointments:booking_detail", args=[child_booking.code]))

    panel = page.context["materials"]
    states = {line.name: (line.state, line.reason) for line in panel.lines}
    assert panel.source == "application"
    assert states["出生医学证明"] == ("passed", "")
    assert states["最近3个月水电缴费单"] == ("failed", "缴费单日期超过3个月")
    assert states["预防接种记录"][0] == "missing"
    body = page.content.decode()
    assert "缴费单日期超过3个月" in body and "未上传" in body
    assert reverse("documents:application", args=[tied.pk]) in body
    assert "onclick" not in body


def test_without_an_application_the_confirmation_shows_the_checklist_and_offers_to_start(login, parent, child_booking):
    panel = materials_for_booking(booking=child_booking, user=parent)

    assert panel.source == "checklist"
    names = [line.name for line in panel.lines]
    assert "户口簿（首页及儿童本人页）" in names and "出生医学证明" not in names  # depends on the answers
    assert panel.actions[0].url == reverse("documents:visit_start", args=[child_booking.code])
    started = login(parent).post(panel.actions[0].url)
    application = Application.objects.get(booking=child_booking)
    assert started["Location"] == reverse("documents:questions", args=[application.pk])


def test_without_a_provider_appointments_shows_its_starter_list(parent, child_booking, monkeypatch):
    monkeypatch.setattr(materials_selectors, "_providers", [])

    panel = materials_for_booking(booking=child_booking, user=parent)

    assert panel.source == "starter" and "申请人居民身份证" in [str(line.name) for line in panel.lines]
    assert materials_for_ticket(ticket=None, user=parent) is None


def test_tying_through_the_page_refuses_another_parents_application(
    login, parent, other_parent, east_child, child_booking
):
    mine = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)
    client = login(other_parent)

    assert client.get(reverse("documents:visit_return", args=[mine.pk]) + "?booking=X").status_code == 404
    answer = client.post(reverse("documents:visit_tie", args=[child_booking.code]), {"application": mine.pk})
    assert answer.status_code == 404
    assert Application.objects.get(pk=mine.pk).booking is None


def test_book_a_visit_from_the_application_comes_back_and_ties(login, parent, east_child, school):
    application = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)
    client = login(parent)
    slot = slot_today(east_child.household.station, school, minutes_from_now=90)

    to_slots = client.get(reverse("documents:visit_book", args=[application.pk]))
    assert to_slots.status_code == 302 and "return_to=" in to_slots["Location"]
    booked = client.post(to_slots["Location"], {"slot": slot.pk, "applicant": str(east_child.pk)})
    booking = Booking.objects.get(account=parent)
    assert booked["Location"] == reverse("documents:visit_return", args=[application.pk]) + f"?booking={booking.code}"
    assert Application.objects.get(pk=application.pk).booking is None  # a GET ties nothing
    tied = client.post(reverse("documents:visit_return", args=[application.pk]), {"booking": booking.code})
    assert tied["Location"] == reverse("appointments:booking_detail", args=[booking.code])
    assert Application.objects.get(pk=application.pk).booking == booking


def test_the_slot_page_ignores_a_return_to_off_site(login, parent, east_child, school):
    slot = slot_today(east_child.household.station, school, minutes_from_now=90)
    url = reverse("appointments:booking_slots") + f"?business_type={school.pk}&station={slot.station_id}"

    booked = login(parent).post(url + "&return_to=https://evil.example/x", {"slot": slot.pk, "applicant": "self"})

    assert booked["Location"].startswith("/appointments/b/")


# --- the clerk: check-in, console, receive the case from the ticket --------------------------


def test_the_desk_check_in_shows_the_state_and_the_review_link_to_its_station_only(
    login, clerk_east, clerk_west, tied, child_booking
):
    _mark(tied, "vaccination", ApplicationItem.Status.FAILED, "照片模糊，请重拍")
    desk = login(clerk_east).post(reverse("appointments:desk_checkin"), {"c-code": child_booking.code})
    ticket = Ticket.objects.get(booking=child_booking)
    assert desk["Location"] == reverse("appointments:desk_ticket", args=[ticket.pk])

    page = login(clerk_east).get(desk["Location"])

    body = page.content.decode()
    assert "照片模糊，请重拍" in body and reverse("documents:review", args=[tied.pk]) in body
    assert materials_for_ticket(ticket=ticket, user=clerk_west) is None
    assert login(clerk_west).get(desk["Location"]).status_code == 404


def test_the_console_shows_the_called_tickets_materials(login, clerk_east, tied, child_booking):
    ticket = q.ticket_check_in(station_id=child_booking.station_id, code=child_booking.code)
    window = clerk_east.station.windows.get(number=1)
    q.ticket_call(actor=clerk_east, ticket_id=ticket.pk, window_id=window.pk)

    page = login(clerk_east).get(reverse("appointments:console_window", args=[window.pk]))

    assert page.context["current_materials"].source == "application"
    assert reverse("documents:review", args=[tied.pk]) in page.content.decode()


def test_the_desk_check_in_refuses_an_unknown_code_with_a_chinese_error(login, clerk_east):
    page = login(clerk_east).post(reverse("appointments:desk_checkin"), {"c-code": "NOPE1234"})

    assert page.status_code == 400 and "未找到今天在本所的相应预约" in page.content.decode()
    assert not Ticket.objects.exists()


def test_finishing_the_ticket_receives_the_case_from_the_application_and_both_remember_it(
    login, clerk_east, parent, east_child, tied, child_booking
):
    ticket = _served_ticket(clerk_east, child_booking)
    done = login(clerk_east).get(reverse("appointments:ticket_done", args=[ticket.pk]))
    action = done.context["receive_action"]
    assert action.url == reverse("documents:ticket_receive", args=[ticket.pk])

    answer = login(clerk_east).post(action.url)

    case = Case.objects.get()
    ticket.refresh_from_db()
    tied.refresh_from_db()
    assert answer["Location"] == reverse("documents:review", args=[tied.pk])
    assert ticket.case == case and tied.case == case
    assert case.person == east_child and case.applicant_name == parent.real_name
    assert case.payload["answers"] == tied.answers and case.payload["materials_application"] == tied.pk
    assert ticket.number in case.transitions.first().note


def test_only_the_clerk_who_served_receives_and_nothing_is_written_otherwise(
    clerk_east, approver_east, clerk_west, tied, child_booking
):
    ticket = _served_ticket(clerk_east, child_booking)

    for other in (approver_east, clerk_west):
        with pytest.raises(ValidationError):
            application_receive_from_ticket(actor=other, ticket_id=ticket.pk)

    assert not Case.objects.exists()
    ticket.refresh_from_db()
    assert ticket.case is None and Application.objects.get(pk=tied.pk).case is None


def test_a_ticket_without_an_application_keeps_the_prefilled_receive_form(login, clerk_east, child_booking):
    ticket = _served_ticket(clerk_east, child_booking)

    done = login(clerk_east).get(reverse("appointments:ticket_done", args=[ticket.pk]))

    assert done.context["receive_action"] is None and "applicant_name=" in done.context["receive_url"]
    assert b'data-testid="receive-case"' in done.content


def test_the_review_screen_names_the_booked_visit(login, clerk_east, tied, child_booking):
    page = login(clerk_east).get(reverse("documents:review", args=[tied.pk]))

    assert f"预约到窗 {child_booking.code}" in page.content.decode()
