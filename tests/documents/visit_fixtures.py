"""A parent's booking today for their child's school certificate, and a second parent (West)."""

import pytest
from django.utils import timezone

from appointments.services.booking import booking_create
from common.roles import Role
from hukou.models import BusinessType
from tests.appointments.queue_helpers import slot_today
from tests.cast import _user

SCHOOL = "school_certificate"
ANSWERS = {"first_enrolment": True, "own_property": True, "property_delivered": False}


@pytest.fixture
def school(db):
    return BusinessType.objects.get(code=SCHOOL)


@pytest.fixture
def child_booking(parent, east_child, school):
    """The parent's booking at East for their child, 10 minutes from now (check-in is open)."""
    slot = slot_today(east_child.household.station, school)
    return booking_create(account=parent, slot_id=slot.pk, business_type_id=school.pk, person_id=east_child.pk)


@pytest.fixture
def other_parent(west_head):
    user = _user("13900000002", Role.PARENT, mobile="13900000002", id_number=west_head.id_number)
    user.real_name = west_head.name
    west_head.mobile = "13900000002"
    west_head.save(update_fields=["mobile"])
    user.mobile_verified_at = user.identity_verified_at = timezone.now()
    user.save(update_fields=["real_name", "mobile_verified_at", "identity_verified_at"])
    return user
