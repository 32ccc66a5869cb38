"""Bookings due today, for check-in and call tests."""

import datetime as dt

from django.utils import timezone

from appointments.models import Slot
from appointments.services.booking import booking_create_proxy
from tests.appointments.fixtures import id_number


def slot_today(station, business, *, minutes_from_now=10, capacity=5) -> Slot:
    start = timezone.now() + dt.timedelta(minutes=minutes_from_now)
    slot = Slot.objects.create(
        station=station, starts_at=start, ends_at=start + dt.timedelta(minutes=15), capacity=capacity
    )
    slot.business_types.set([business])
    return slot


def booked_today(clerk, business, n=0, **kwargs):
    slot = slot_today(clerk.station, business, **kwargs)
    return booking_create_proxy(
        clerk=clerk,
        slot_id=slot.pk,
        business_type_id=business.pk,
        applicant_name=f"预约人{n}",
        applicant_id_number=id_number(500 + n),
        applicant_phone="13900000001",
    )
