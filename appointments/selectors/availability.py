"""What a parent may book: released days, free slots per day, next free slots after a refusal."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from appointments.models import Booking, BookingSuspension, Slot


def booking_last_day(*, now: dt.datetime | None = None) -> dt.date:
    """The last day whose places are released: today + horizon once the daily release hour has
    passed, one day less before it (the 8:00 burst)."""
    now = timezone.localtime(now or timezone.now())
    horizon = settings.BOOKING_HORIZON_DAYS
    return now.date() + dt.timedelta(days=horizon if now.hour >= settings.BOOKING_RELEASE_HOUR else horizon - 1)


def slots_available(*, station_id: int, business_type_id: int, now: dt.datetime | None = None) -> list[Slot]:
    """Offered, future, released slots of the station serving the business type, free or full
    (the page greys out full ones). One query."""
    now = now or timezone.now()
    last = booking_last_day(now=now)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return list(
        Slot.objects.filter(
            station_id=station_id,
            business_types=business_type_id,
            is_active=True,
            starts_at__gt=now,
            starts_at__lt=end,
        ).order_by("starts_at")
    )


def slots_by_day(slots: list[Slot]) -> list[tuple[dt.date, list[Slot]]]:
    days: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(timezone.localdate(slot.starts_at), []).append(slot)
    return sorted(days.items())


def slots_next_free(*, slot: Slot, business_type_id: int, limit: int = 3) -> list[Slot]:
    """The next free slots after a refused one, for the 409 answer. One query."""
    last = booking_last_day()
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return list(
        Slot.objects.bookable()
        .filter(
            station_id=slot.station_id,
            business_types=business_type_id,
            starts_at__gt=max(timezone.now(), slot.starts_at - dt.timedelta(minutes=1)),
            starts_at__lt=end,
        )
        .exclude(pk=slot.pk)
        .order_by("starts_at")[:limit]
    )


def booking_change_deadline(*, booking: Booking) -> dt.datetime:
    """Until when the parent may still cancel or move the booking (the one cutoff rule)."""
    return booking.slot.starts_at - dt.timedelta(hours=settings.BOOKING_CANCEL_CUTOFF_HOURS)


def bookings_of_account(*, account):
    return (
        Booking.objects.filter(account=account)
        .select_related("slot", "station", "business_type")
        .order_by("-slot__starts_at")[:50]
    )


def suspension_current(*, account) -> BookingSuspension | None:
    today = timezone.localdate()
    return BookingSuspension.objects.filter(account=account, starts_on__lte=today, ends_on__gte=today).first()
