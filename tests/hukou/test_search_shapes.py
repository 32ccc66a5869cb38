"""Search shapes (issue 13): each kind of term runs only the branch that can match it, results
come in display order from an index, and broad results are counted only up to a cap."""

import pytest

from common.paging import CappedPaginator
from hukou.codes import Relationship
from hukou.selectors.registry import household_list, person_search, search_terms
from tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_search_terms_tell_an_id_number_a_chinese_name_pinyin_and_digits_apart():
    assert search_terms("360102 19850101 001x").id_number == "36010219850101001X"
    assert search_terms(" 李 ").chinese == "李" and search_terms("李").pinyin == ""
    assert search_terms("Zhang Xm").pinyin == "zhangxm"
    assert search_terms("3601020100").digits == "3601020100"
    assert search_terms("360102010000001").digits == "360102010000001"  # a full household number


def test_a_chinese_query_is_not_also_searched_as_pinyin(clerk_east, east_household):
    li = PersonFactory(household=east_household, name="李明", relationship=Relationship.SON)
    PersonFactory(household=east_household, name="刘明", relationship=Relationship.DAUGHTER)  # liu...
    PersonFactory(household=east_household, name="林明", relationship=Relationship.OTHER_RELATIVE)  # lin...

    assert list(person_search(user=clerk_east, query="李")) == [li]
    assert {p.name for p in person_search(user=clerk_east, query="li")} == {"李明", "刘明", "林明"}


def test_person_results_come_in_name_order_and_pinyin_results_in_pinyin_order(clerk_east, east_household):
    for name in ("张三", "张丰", "张一"):
        PersonFactory(household=east_household, name=name, relationship=Relationship.OTHER_RELATIVE)

    by_name = [p.name for p in person_search(user=clerk_east, query="张") if p.name in ("张三", "张丰", "张一")]
    by_pinyin = [p.name for p in person_search(user=clerk_east, query="zhang") if p.name in ("张三", "张丰", "张一")]

    assert by_name == ["张一", "张三", "张丰"]  # codepoint order: 一 U+4E00, 三 U+4E09, 丰 U+4E30
    assert by_pinyin == ["张丰", "张三", "张一"]  # zhangfeng, zhangsan, zhangyi


def test_a_household_is_found_by_a_members_full_id_number_and_by_its_number_prefix(clerk_east, east_head):
    household = east_head.household

    assert list(household_list(user=clerk_east, query=east_head.id_number.lower())) == [household]
    assert list(household_list(user=clerk_east, query=household.number[:8])) == [household]
    assert list(household_list(user=clerk_east, query=household.number)) == [household]


def test_the_workbench_count_stops_at_the_cap(clerk_east, east, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for _ in range(3):
        HouseholdFactory(station=east, address__community__station=east)

    paginator = CappedPaginator(household_list(user=clerk_east), 25)
    assert paginator.count == 2 and paginator.capped


def test_the_api_says_when_its_count_is_capped(client, clerk_east, east_household, monkeypatch):
    for name in ("王一", "王二", "王三"):
        PersonFactory(household=east_household, name=name, relationship=Relationship.OTHER_RELATIVE)
    client.force_login(clerk_east)

    exact = client.get("/api/v1/persons/", {"q": "王"}).json()
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    capped = client.get("/api/v1/persons/", {"q": "王"}).json()

    assert (exact["count"], exact["count_capped"], len(exact["results"])) == (3, False, 3)
    assert (capped["count"], capped["count_capped"]) == (2, True)
