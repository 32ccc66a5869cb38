"""Ratings 1–5 on the phone and the window tablet; 办不成事 reports reach the station admin, get an
answer, and the parent sees it (件件有回音)."""

import pytest
from django.urls import reverse

from appointments.models import FollowUp, Rating
from appointments.services import queue as q

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(clerk_east, birth, east):
    window = east.windows.get(number=2)
    ticket = q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    q.ticket_call(actor=clerk_east, ticket_id=ticket.pk, window_id=window.pk)
    q.ticket_start(actor=clerk_east, ticket_id=ticket.pk)
    return q.ticket_finish(actor=clerk_east, ticket_id=ticket.pk)


def test_the_phone_rates_a_finished_visit_once(client, served):
    url = reverse("appointments:ticket_rate", args=[served.token])

    client.post(url, {"score": 5, "comment": "很快"})
    client.post(url, {"score": 1})
    page = client.get(reverse("appointments:ticket_page", args=[served.token])).content.decode()

    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (5, "很快")
    assert "感谢您的评价" in page


def test_a_score_out_of_range_is_refused(client, served):
    response = client.post(reverse("appointments:ticket_rate", args=[served.token]), {"score": 9}, follow=True)

    assert not Rating.objects.exists() and "请选择1到5星" in response.content.decode()


def test_the_window_tablet_rates_the_last_visit_served_there(login, aux_east, served):
    client = login(aux_east)
    url = reverse("appointments:rating_tablet", args=[served.window_id])

    assert served.number in client.get(url).content.decode()
    client.post(url, {"score": 4})

    assert Rating.objects.get().ticket == served
    assert "等待下一位" in client.get(url).content.decode()


def test_a_report_reaches_the_station_admin_who_answers_and_the_parent_sees_it(
    login, parent, admin_east, served, django_user_model
):
    served.account = parent
    served.save()
    client = login(parent)
    client.post(reverse("appointments:ticket_report", args=[served.token]), {"text": "缺少材料，白跑一趟"})
    report = FollowUp.objects.get()

    desk = login(admin_east).get(reverse("appointments:station_desk")).content.decode()
    login(admin_east).post(
        reverse("appointments:follow_up_detail", args=[report.pk]), {"answer": "已联系您补办，周六可来"}
    )

    report.refresh_from_db()
    assert "缺少材料" in desk and report.status == FollowUp.Status.ANSWERED and report.answered_by == admin_east
    assert "已联系您补办" in login(parent).get(reverse("appointments:booking_home")).content.decode()
    assert "已联系您补办" in client.get(reverse("appointments:ticket_page", args=[served.token])).content.decode()


def test_an_empty_report_is_refused_in_chinese(client, served):
    page = client.post(reverse("appointments:ticket_report", args=[served.token]), {"text": ""}).content.decode()

    assert "这个字段是必填项" in page or "必填" in page
    assert not FollowUp.objects.exists()


def test_an_admin_of_west_cannot_see_or_answer_east_reports(login, approver_west, west, served, django_user_model):
    from tests.cast import _user

    admin_west = _user("admin_west", "station_admin", station=west)
    report = FollowUp.objects.create(station_id=served.station_id, ticket=served, text="x", due_on=served.day)

    assert login(admin_west).get(reverse("appointments:follow_up_detail", args=[report.pk])).status_code == 404
    assert "x" not in [
        f.text for f in login(admin_west).get(reverse("appointments:station_desk")).context["follow_ups"]
    ]
