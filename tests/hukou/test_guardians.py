import datetime as dt

import pytest

from hukou.codes import Relationship
from hukou.models import Guardianship
from hukou.selectors.guardians import legal_guardians
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


def test_registered_parents_are_the_guardians_when_none_is_recorded(east_child, east_head):
    assert legal_guardians(east_child, on=TODAY) == [(east_head, Relationship.FATHER)]


def test_a_recorded_guardianship_valid_that_day_replaces_the_parents(east_child, east_household):
    grandmother = PersonFactory(household=east_household, relationship=Relationship.OTHER_RELATIVE, sex="F")
    Guardianship.objects.create(
        child=east_child, guardian=grandmother, relationship=Relationship.GRANDPARENT, valid_from=dt.date(2025, 1, 1)
    )

    assert legal_guardians(east_child, on=TODAY) == [(grandmother, Relationship.GRANDPARENT)]


def test_ended_and_future_guardianships_do_not_count(east_child, east_head, east_household):
    other = PersonFactory(household=east_household, relationship=Relationship.OTHER_RELATIVE)
    Guardianship.objects.create(
        child=east_child, guardian=other, relationship=Relationship.OTHER_RELATIVE,
        valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2025, 1, 1),
    )  # fmt: skip
    Guardianship.objects.create(
        child=east_child, guardian=east_head, relationship=Relationship.FATHER, valid_from=dt.date(2027, 1, 1)
    )

    assert legal_guardians(east_child, on=TODAY) == [(east_head, Relationship.FATHER)]  # the parent, by law
