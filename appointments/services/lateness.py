""" "I'm running late" from the parent's phone.

A parent may say so for their own booking while its check-in window is open: from
``CHECKIN_EARLY_MINUTES`` before the slot until ``CHECKIN_LATE_MINUTES`` after its start (the
issue's early/late window; later than that the visit joins the walk-in line anyway). The
notice is recorded once on the booking; the station sees it on the window console, and the
hourly no-show sweep leaves the booking alone until the end of that day (the visitor said they
are coming; checking in after the late window still gives a walk-in ticket)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Booking
from appointments.services.push import publish_after_commit


def running_late_window(booking: Booking) -> tuple[dt.datetime, dt.datetime]:
    """(from, until) during which "I'm running late" is accepted for ``booking``."""
    start = booking.slot.starts_at
    return (
        start - dt.timedelta(minutes=settings.CHECKIN_EARLY_MINUTES),
        start + dt.timedelta(minutes=settings.CHECKIN_LATE_MINUTES),
    )


def running_late_allowed(booking: Booking, *, now: dt.datetime | None = None) -> bool:
    """Whether the page should offer the button (the service decides again)."""
    now = now or timezone.now()
    opens, closes = running_late_window(booking)
    return booking.status == Booking.Status.BOOKED and not booking.late_notice_at and opens <= now <= closes


@transaction.atomic
def booking_running_late(*, actor, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """Records that the holder of ``booking_id`` (the actor's own booking) is running late.
    Refused (``ValidationError``, nothing written) for someone else's booking, a booking not
    waiting for check-in, outside the window, or a second time."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update(of=("self",)).select_related("slot").filter(pk=booking_id).first()
    if booking is None or booking.account_id != actor.pk:
        raise ValidationError(_("Booking not found."), code="not_found")
    if booking.status != Booking.Status.BOOKED:
        raise ValidationError(_("This booking can no longer be changed."), code="wrong_status")
    if booking.late_notice_at:
        raise ValidationError(_("You have already told the station that you are running late."), code="already")
    opens, closes = running_late_window(booking)
    if now < opens:
        raise ValidationError(
            _("You can say you are running late from %(minutes)s minutes before your time.")
            % {"minutes": settings.CHECKIN_EARLY_MINUTES},
            code="too_early",
        )
    if now > closes:
        raise ValidationError(
            _("More than %(minutes)s minutes after your time: please take a walk-in ticket at the station.")
            % {"minutes": settings.CHECKIN_LATE_MINUTES},
            code="too_late",
        )
    booking.late_notice_at = now
    booking.save(update_fields=["late_notice_at"])
    publish_after_commit(station_id=booking.station_id, event={"kind": "queue"})
    return booking
