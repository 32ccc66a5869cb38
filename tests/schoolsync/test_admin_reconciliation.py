"""Operators see parked and exhausted events with their error, replay them, and get a nightly
reconciliation of what was created, acknowledged and parked."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from hukou.models import ChangeEvent
from schoolsync.models import OutboundEvent, SyncReport
from schoolsync.services.delivery import outbound_deliver
from schoolsync.services.reconciliation import sync_report_build
from tests.schoolsync.conftest import change

pytestmark = [pytest.mark.postgres]
Status = OutboundEvent.Status
URL = "/admin/schoolsync/outboundevent/"


def _parked(receiver, person, name):
    event = OutboundEvent.objects.get(change_event=change(person, name=name))
    receiver.control("400-for", event_id=str(event.event_id))
    assert outbound_deliver(outbound_id=event.pk) == Status.PARKED
    return event


def test_the_admin_lists_parked_events_with_their_error_and_no_full_id_number(
    sync_settings, receiver, login, sysadmin, east_child, django_assert_max_num_queries
):
    parked = _parked(receiver, east_child, "张小刚")
    for index in range(5):
        change(east_child, name=f"名{index}")
    client = login(sysadmin)
    with django_assert_max_num_queries(12):
        page = client.get(URL, {"status__exact": "parked"})
    text = page.content.decode()
    assert page.status_code == 200 and str(parked.event_id) in text and "HTTP 400" in text
    detail = client.get(f"{URL}{parked.pk}/change/").content.decode()
    assert east_child.id_number not in detail and "HTTP 400" in detail


def test_replay_puts_a_parked_event_back_and_it_is_delivered(sync_settings, receiver, login, sysadmin, east_child):
    parked = _parked(receiver, east_child, "张小刚")
    receiver.control("ok")
    answer = login(sysadmin).post(URL, {"action": "replay", "_selected_action": [parked.pk]}, follow=True)
    assert "已重新排队的事件：1 个" in answer.content.decode()
    parked.refresh_from_db()
    # Changed with issue #12: a replay keeps the history (attempts are no longer reset to 0) and
    # records who replayed.
    assert parked.status == Status.PENDING and parked.attempts == 1 and parked.last_error.startswith("HTTP 400: ")
    assert [a.status_code for a in parked.attempt_log.all()] == [400]
    assert [(d.kind, d.actor, d.previous_status) for d in parked.decisions.all()] == [("replay", sysadmin, "parked")]
    assert outbound_deliver(outbound_id=parked.pk) == Status.DELIVERED
    assert [e["event_id"] for e in receiver.events()] == [str(parked.event_id)]


def test_a_clerk_cannot_open_the_delivery_admin(login, clerk_east):
    answer = login(clerk_east).get(URL)
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]


def test_the_nightly_report_counts_created_acknowledged_parked_and_missing(
    sync_settings, receiver, east_child, east_pupil, capsys
):
    _parked(receiver, east_child, "一")  # parked
    receiver.control("ok")
    delivered = OutboundEvent.objects.get(change_event=change(east_pupil, name="二"))
    assert outbound_deliver(outbound_id=delivered.pk) == Status.DELIVERED
    change(east_pupil, name="三")  # still pending
    # A change event whose outbound row is missing (written before the app was connected).
    orphan = ChangeEvent.objects.create(kind="name_changed", person=east_child, household=east_child.household)
    today = timezone.localdate()
    report = sync_report_build(day=today)
    assert (report.created, report.delivered, report.pending, report.parked, report.exhausted) == (3, 1, 1, 1, 0)
    assert report.attempts == 2 and report.missing == 1
    assert ChangeEvent.objects.filter(pk=orphan.pk).exists()

    call_command("sync_reconciliation_report", date=today.isoformat())
    out = capsys.readouterr().out
    assert "parked            1" in out and "missing           1" in out and "need attention" in out
    assert SyncReport.objects.get(day=today).created == 3
    assert sync_report_build(day=today - dt.timedelta(days=1)).created == 0


def test_the_nightly_task_reports_yesterday(east_child):
    from schoolsync.tasks import reconciliation_report

    change(east_child, name="张小刚")
    report = SyncReport.objects.get(pk=reconciliation_report())
    assert report.day == timezone.localdate() - dt.timedelta(days=1)
    assert report.created == 0  # today's change belongs to tonight's report
