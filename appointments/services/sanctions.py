"""The no-show policy as data (``NoShowPolicy``): N no-shows within D days suspend online
booking for S days."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Booking, BookingSuspension, NoShowPolicy


def policy_for(*, station_id: int | None) -> NoShowPolicy:
    policy = NoShowPolicy.objects.filter(station_id=station_id).first() if station_id else None
    return policy or NoShowPolicy.objects.filter(station__isnull=True).first() or NoShowPolicy()


@transaction.atomic
def no_show_apply_policy(*, account_id: int, station_id: int | None) -> BookingSuspension | None:
    """Counts the account's no-shows in the policy's window; at the threshold, suspends online
    booking from today (one suspension at a time: an existing current one is not extended)."""
    policy = policy_for(station_id=station_id)
    today = timezone.localdate()
    since = timezone.now() - dt.timedelta(days=policy.within_days)
    count = Booking.objects.filter(
        account_id=account_id, status=Booking.Status.NO_SHOW, slot__starts_at__gte=since
    ).count()
    if count < policy.no_shows:
        return None
    if BookingSuspension.objects.filter(account_id=account_id, ends_on__gte=today).exists():
        return None
    return BookingSuspension.objects.create(
        account_id=account_id,
        starts_on=today,
        ends_on=today + dt.timedelta(days=policy.suspend_days - 1),
        reason=_("%(n)s missed appointments within %(days)s days") % {"n": count, "days": policy.within_days},
    )


def bookings_mark_no_show() -> int:
    """Bookings whose slot ended more than the late window ago without a check-in become
    no-shows (the policy applied per account). Idempotent; returns how many were marked."""
    from django.conf import settings

    cutoff = timezone.now() - dt.timedelta(minutes=settings.CHECKIN_LATE_MINUTES)
    marked = 0
    start_of_today = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    overdue = Booking.objects.filter(status=Booking.Status.BOOKED, slot__ends_at__lt=cutoff)
    # "I'm running late" (services.lateness): not a no-show before the day is over.
    overdue = overdue.exclude(late_notice_at__isnull=False, slot__starts_at__gte=start_of_today)
    for booking in overdue.select_related("slot"):
        with transaction.atomic():
            updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
                status=Booking.Status.NO_SHOW
            )
            from django.db.models import F

            from appointments.models import Slot

            if updated:
                Slot.objects.filter(pk=booking.slot_id).update(booked=F("booked") - 1)
                marked += 1
                if booking.account_id:
                    no_show_apply_policy(account_id=booking.account_id, station_id=booking.station_id)
    return marked
