"""Reminders the day before and an hour before, through the SMS gateway, never twice."""

import datetime as dt

import pytest
from django.utils import timezone

from appointments.models import Reminder
from appointments.services.reminders import reminders_send_due
from tests.appointments.queue_helpers import booked_today
from tests.test_notifications import _messages, gateway  # noqa: F401  (the stand-in gateway fixture)

pytestmark = pytest.mark.django_db


def test_it_sends_the_hour_before_reminder_once_through_the_gateway(settings, gateway, clerk_east, birth):  # noqa: F811
    settings.NOTIFY_BACKEND = "sms_gateway"
    settings.SMS_GATEWAY_URL = f"{gateway}/send"
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    booking = booked_today(clerk_east, birth, minutes_from_now=40)

    first = reminders_send_due()
    second = reminders_send_due()

    sent = _messages(gateway)
    assert (first, second) == (1, 0)
    assert len(sent) == 1 and sent[0]["mobile"] == "13900000001" and booking.code in sent[0]["text"]
    assert sent[0]["purpose"] == "booking_reminder" and "提醒" in sent[0]["text"]
    assert Reminder.objects.get(booking=booking).kind == Reminder.Kind.HOUR_BEFORE


def test_the_day_before_reminder_is_due_between_2_and_24_hours_ahead(settings, clerk_east, birth):
    settings.NOTIFY_BACKEND = "console"
    booking = booked_today(clerk_east, birth, minutes_from_now=40)
    later = timezone.now() - dt.timedelta(hours=20)

    assert reminders_send_due(now=later) == 1
    assert Reminder.objects.get(booking=booking).kind == Reminder.Kind.DAY_BEFORE


def test_a_failed_send_is_recorded_not_retried(settings, gateway, clerk_east, birth):  # noqa: F811
    settings.NOTIFY_BACKEND = "sms_gateway"
    settings.SMS_GATEWAY_URL = f"{gateway}/send"
    settings.SMS_GATEWAY_TOKEN = "wrong"
    booking = booked_today(clerk_east, birth, minutes_from_now=40)

    assert reminders_send_due() == 0
    assert "401" in Reminder.objects.get(booking=booking).error
    assert reminders_send_due() == 0


def test_the_beat_task_leaves_a_scheduled_run_trace(settings, clerk_east, birth):
    from appointments.tasks import reminders_send_due_task
    from common.models import ScheduledRun

    settings.NOTIFY_BACKEND = "console"
    booked_today(clerk_east, birth, minutes_from_now=40)

    reminders_send_due_task()

    run = ScheduledRun.objects.get(task="appointments.reminders_send_due")
    assert run.counts == {"sent": 1}
