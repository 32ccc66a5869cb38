"""Reminders the day before and an hour before, and "your time no longer fits" notices.

Each message is a ``Reminder`` row unique per (booking, kind), claimed in its own short
transaction before the text goes out, so two beat runs or two workers never send one twice.
The network call happens outside any transaction (on purpose: a slow gateway must not hold
locks). A failed send is recorded on the row and not retried automatically (a reminder late
by an hour is worse than none); the admin shows the error.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Booking, Reminder
from common.notifications import NotificationError, notification_send

logger = logging.getLogger(__name__)

WINDOWS = {
    Reminder.Kind.DAY_BEFORE: (dt.timedelta(hours=2), dt.timedelta(hours=24)),
    Reminder.Kind.HOUR_BEFORE: (dt.timedelta(0), dt.timedelta(hours=1)),
}


def _text(booking: Booking, kind: str, *, delay: int = 0) -> str:
    when = timezone.localtime(booking.slot.starts_at).strftime("%m-%d %H:%M")
    if kind == Reminder.Kind.RUNNING_LATE:
        return _(
            "[户籍e窗] %(station)s is running about %(minutes)s minutes behind today. Your booking %(code)s "
            "at %(when)s keeps its place; you may come a little later."
        ) % {"station": booking.station.name, "minutes": delay, "code": booking.code, "when": when[-5:]}
    if kind == Reminder.Kind.RESCHEDULE:
        return _("[户籍e窗] %(station)s changed its hours: your booking %(code)s at %(when)s needs a new time.") % {
            "station": booking.station.name,
            "code": booking.code,
            "when": when,
        }
    return _("[户籍e窗] Reminder: %(business)s at %(station)s, %(when)s. Booking code %(code)s.") % {
        "business": booking.business_type.name,
        "station": booking.station.name,
        "when": when,
        "code": booking.code,
    }


def _claim(booking_id: int, kind: str) -> Reminder | None:
    try:
        with transaction.atomic():
            return Reminder.objects.create(booking_id=booking_id, kind=kind)
    except IntegrityError:
        return None  # another run claimed it first


def _deliver(reminder: Reminder, *, delay: int = 0) -> bool:
    booking = reminder.booking
    if not booking.applicant_phone:
        Reminder.objects.filter(pk=reminder.pk).update(error="no phone")
        return False
    try:
        notification_send(
            mobile=booking.applicant_phone,
            text=_text(booking, reminder.kind, delay=delay),
            purpose="booking_reminder",
        )
    except NotificationError as exc:
        Reminder.objects.filter(pk=reminder.pk).update(error=str(exc)[:200])
        return False
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now(), error="")
    return True


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Sends every due reminder once: day-before for slots 2–24 hours ahead, hour-before for
    slots within the hour, and pending reschedule notices. Returns the number sent."""
    now = now or timezone.now()
    sent = 0
    related = ("slot", "station", "business_type")
    for kind, (low, high) in WINDOWS.items():
        due = Booking.objects.filter(
            status=Booking.Status.BOOKED, slot__starts_at__gt=now + low, slot__starts_at__lte=now + high
        ).exclude(reminders__kind=kind)
        for booking in due.select_related(*related):
            reminder = _claim(booking.pk, kind)
            if reminder is not None:
                reminder.booking = booking
                sent += _deliver(reminder)
    pending = Reminder.objects.filter(kind=Reminder.Kind.RESCHEDULE, sent_at__isnull=True, error="")
    for reminder in pending.select_related(*(f"booking__{name}" for name in related)):
        # Claimed by the unique row when the booking was flagged; mark before sending.
        if Reminder.objects.filter(pk=reminder.pk, error="").update(error="sending") == 1:
            sent += _deliver(reminder)
    return sent


def running_late_notify(*, now: dt.datetime | None = None) -> int:
    """When a station runs behind for booked visitors by ``QUEUE_RUNNING_LATE_MINUTES`` or more
    (``station_booked_delay_minutes``), every applicant booked there later today (not yet
    checked in, slot still ahead) gets one text: a ``Reminder`` row of kind ``running_late``
    claimed before sending, so a booking is told once a day however often this runs. Returns
    the number sent."""
    from django.conf import settings

    from appointments.models import Ticket
    from appointments.selectors.queue import station_booked_delay_minutes

    now = now or timezone.now()
    today = timezone.localdate(now)
    end = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    sent = 0
    busy = Ticket.objects.filter(day=today, status=Ticket.Status.WAITING).values_list("station_id", flat=True)
    for station_id in sorted(set(busy)):
        delay = station_booked_delay_minutes(station_id=station_id, now=now)
        if delay < settings.QUEUE_RUNNING_LATE_MINUTES:
            continue
        later = Booking.objects.filter(
            station_id=station_id, status=Booking.Status.BOOKED, slot__starts_at__gt=now, slot__starts_at__lt=end
        ).exclude(reminders__kind=Reminder.Kind.RUNNING_LATE)
        for booking in later.select_related("slot", "station", "business_type"):
            reminder = _claim(booking.pk, Reminder.Kind.RUNNING_LATE)
            if reminder is not None:
                reminder.booking = booking
                sent += _deliver(reminder, delay=delay)
    return sent
