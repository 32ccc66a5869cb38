"""Fixtures of the eligibility tests, registered in tests/conftest.py (``pytest_plugins``).

School East's catchment and rule for 2027, and a ``family`` factory of children inside it.
"""

import datetime as dt

import pytest
from django.core.cache import cache

from hukou.codes import Relationship
from schoolsync.models import CatchmentArea, EligibilityRule
from tests.factories import AddressFactory, HouseholdFactory, PersonFactory

YEAR = 2027
TODAY = dt.date(2027, 3, 1)


@pytest.fixture
def fresh_rate_limit():
    """An empty cache, so that lookup counters of earlier tests cannot interfere."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def east_catchment(school_east, east_household):
    """School East's catchment for 2027: the whole community of the East household."""
    return CatchmentArea.objects.create(school=school_east, year=YEAR, community=east_household.address.community)


@pytest.fixture
def east_rule(school_east):
    return EligibilityRule.objects.create(school=school_east, year=YEAR, effective_from=dt.date(2026, 9, 1))


@pytest.fixture
def family(east_catchment, east_rule):
    """``family(birth_date=..., **household)``: a child with father and mother in a fresh
    household inside School East's catchment, registered there since 2018."""
    community = east_catchment.community

    def _family(*, birth_date=dt.date(2020, 5, 1), registered=dt.date(2018, 3, 1), kind="family", **child):
        household = HouseholdFactory(address=AddressFactory(community=community), kind=kind)
        father = PersonFactory(household=household, name="王父", relationship=Relationship.HEAD)
        mother = PersonFactory(household=household, name="李母", sex="F", relationship=Relationship.WIFE)
        fields = {"household": household, "name": "王小宝", "relationship": Relationship.SON, "birth_date": birth_date}
        fields |= {"registered_at_address_on": registered, "father": father, "mother": mother, **child}
        return PersonFactory(**fields)

    return _family
