"""The timeline behind the person and household pages: a fixed number of queries however long
the history is (issue 13: at a million persons the history queries were the page's cost)."""

import pytest

from hukou.codes import Relationship
from hukou.selectors.timeline import household_timeline, person_timeline
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _edit(person, times):
    for number in range(times):
        person.native_place = f"江西南昌{number}"
        person._change_reason = f"更正{number}"
        person.save()


def test_a_person_timeline_is_six_queries_for_a_short_or_long_history(east_head, django_assert_num_queries):
    with django_assert_num_queries(6):
        short = person_timeline(person=east_head)
    _edit(east_head, 12)
    east_head.household.number = east_head.household.number[:-1] + "9"
    east_head.household.save()
    with django_assert_num_queries(6):
        long = person_timeline(person=east_head)

    assert len(long) >= len(short) + 13
    assert [entry.at for entry in long] == sorted((entry.at for entry in long), reverse=True)


def test_a_household_timeline_is_three_queries_for_one_or_many_members(east_head, django_assert_num_queries):
    household = east_head.household
    with django_assert_num_queries(3):
        household_timeline(household=household)
    for _ in range(8):
        _edit(PersonFactory(household=household, relationship=Relationship.SON), 2)
    with django_assert_num_queries(3):
        entries = household_timeline(household=household)

    assert sum(entry.source == "person" for entry in entries) >= 8 * 3
    assert any(entry.reason == "更正1" for entry in entries)
