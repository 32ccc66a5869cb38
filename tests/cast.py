"""The fixed cast of the test suite, for every role and two stations.

Station East and station West each have a clerk, approver and admin; a clerk of East must see
nothing of West. The school staff member belongs to East's first school; the parent is the
father of a child registered at East.
"""

import datetime as dt

import pytest
from django.utils import timezone

from common.roles import Role
from hukou.codes import Relationship
from tests.factories import (
    AddressFactory,
    CommunityFactory,
    HouseholdFactory,
    PersonFactory,
    SchoolFactory,
    StationFactory,
    UserFactory,
    WindowFactory,
)

PASSWORD = "test-password-2026"


@pytest.fixture
def east(db):
    station = StationFactory(code="EAST", name="东城派出所")
    for number in (1, 2, 3):
        WindowFactory(station=station, number=number)
    return station


@pytest.fixture
def west(db):
    station = StationFactory(code="WEST", name="西城派出所")
    for number in (1, 2, 3):
        WindowFactory(station=station, number=number)
    return station


@pytest.fixture
def east_household(east):
    address = AddressFactory(community=CommunityFactory(station=east, name="青山社区"))
    return HouseholdFactory(number="360102010000001", address=address, station=east)


@pytest.fixture
def west_household(west):
    address = AddressFactory(community=CommunityFactory(station=west, name="书院社区"), road="书院街")
    return HouseholdFactory(number="360102020000001", address=address, station=west)


@pytest.fixture
def east_head(east_household):
    return PersonFactory(household=east_household, name="张建华", relationship=Relationship.HEAD)


@pytest.fixture
def east_child(east_household, east_head):
    return PersonFactory(
        household=east_household,
        name="张小明",
        relationship=Relationship.SON,
        birth_date=dt.date(2020, 5, 1),
        father=east_head,
    )


@pytest.fixture
def west_head(west_household):
    return PersonFactory(household=west_household, name="李西城", relationship=Relationship.HEAD)


def _user(username, role, **extra):
    return UserFactory(username=username, real_name=username, role=role, **extra)


@pytest.fixture
def clerk_east(east):
    return _user("clerk_east", Role.CLERK, station=east)


@pytest.fixture
def aux_east(east):
    return _user("aux_east", Role.AUX_CLERK, station=east)


@pytest.fixture
def approver_east(east):
    return _user("approver_east", Role.APPROVER, station=east)


@pytest.fixture
def admin_east(east):
    return _user("admin_east", Role.STATION_ADMIN, station=east)


@pytest.fixture
def clerk_west(west):
    return _user("clerk_west", Role.CLERK, station=west)


@pytest.fixture
def approver_west(west):
    return _user("approver_west", Role.APPROVER, station=west)


@pytest.fixture
def school_east(db):
    return SchoolFactory(code="360102001", name="东城第一小学")


@pytest.fixture
def school_staff(school_east):
    return _user("school_staff", Role.SCHOOL_STAFF, school=school_east)


@pytest.fixture
def parent(east_head):
    user = _user("13800000001", Role.PARENT, mobile="13800000001", id_number=east_head.id_number)
    user.real_name = east_head.name  # the bound identity matches the registry
    # ... and was proven (the registry records this mobile number for the head; the code was given)
    east_head.mobile = "13800000001"
    east_head.save(update_fields=["mobile"])
    user.mobile_verified_at = user.identity_verified_at = timezone.now()
    user.identity_method = "registry_mobile"
    user.save(update_fields=["real_name", "mobile_verified_at", "identity_verified_at", "identity_method"])
    return user


@pytest.fixture
def sysadmin(db):
    return _user("sysadmin", Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
