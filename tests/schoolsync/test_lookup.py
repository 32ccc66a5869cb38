"""Eligibility lookup by ID number: API and page, access log, rate limit, visibility."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from common.idnumber import mask_id_number
from hukou.models import AccessLog
from schoolsync.models import EligibilityRule, Enrolment
from tests.factories import PersonFactory, valid_id_number
from tests.schoolsync.eligibility_fixtures import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]
API = "/api/v1/school/eligibility/"
ITEMS = {
    "name",
    "sex",
    "birth_date",
    "id_number",
    "hukou_address",
    "household_number",
    "guardian_names",
    "relationship_to_guardian",
}
LOW_RATE = {"DEFAULT_THROTTLE_RATES": {"school_lookup": "3/min"}}


def lookup(client, id_number, **extra):
    return client.post(API, {"id_number": id_number, "year": YEAR, **extra}, content_type="application/json")


def lookups(user):
    return list(AccessLog.objects.filter(user=user, action=AccessLog.Action.LOOKUP).order_by("id"))


@pytest.fixture
def staff(login, school_staff):
    return login(school_staff)


def test_it_answers_the_verdict_reasons_and_exactly_the_8_items(staff, family):
    child = family()
    response = lookup(staff, child.id_number)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"verdict", "verdict_label", "reasons", "rule_version", "year", "items"}
    assert (body["verdict"], body["verdict_label"], body["year"]) == ("eligible", "符合条件", YEAR)
    assert set(body["items"]) == ITEMS
    assert body["items"] == {
        "name": "王小宝",
        "sex": "男",
        "birth_date": "2020-05-01",
        "id_number": child.id_number,
        "hukou_address": child.household.address.full_text,
        "household_number": child.household.number,
        "guardian_names": ["王父", "李母"],
        "relationship_to_guardian": ["父亲", "母亲"],
    }
    assert {r["code"] for r in body["reasons"]} == {"age_ok", "catchment_in", "registration_ok", "guardian_ok"}
    assert all(set(r) == {"code", "outcome", "message"} for r in body["reasons"])


def test_every_lookup_is_access_logged_with_its_purpose(staff, school_staff, family):
    child = family()
    lookup(staff, child.id_number, purpose="transfer")
    [entry] = lookups(school_staff)
    assert entry.person == child
    assert entry.target == f"id:{mask_id_number(child.id_number)}"
    assert entry.purpose == f"360102001 转学资格核验 {YEAR}"


def test_an_other_schools_child_gets_the_same_answer_as_an_unknown_id(staff, school_staff, family, west_head):
    unknown = valid_id_number(birth_date=dt.date(2020, 1, 1))
    outside, missing = lookup(staff, west_head.id_number), lookup(staff, unknown)
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == {"code": "not_found", "message": "未找到，或您无权查看。", "fields": {}}
    # Both attempts are still in the access log.
    assert [entry.person for entry in lookups(school_staff)] == [west_head, None]


def test_an_enrolled_child_outside_the_catchment_is_visible_and_not_eligible(staff, school_staff, west_head):
    child = PersonFactory(
        household=west_head.household,
        name="西小童",
        birth_date=dt.date(2020, 2, 2),
        father=west_head,
        relationship="20",
    )
    Enrolment.objects.create(school=school_staff.school, person=child, year=YEAR)
    EligibilityRule.objects.create(school=school_staff.school, year=YEAR, effective_from=dt.date(2026, 1, 1))
    body = lookup(staff, child.id_number).json()
    assert body["verdict"] == "not_eligible"
    assert "catchment_out" in {r["code"] for r in body["reasons"]}


def test_an_invalid_id_number_gives_the_chinese_message_and_writes_only_the_log_line(staff, school_staff, family):
    child = family()
    wrong = child.id_number[:17] + ("0" if child.id_number[17] != "0" else "1")
    response = lookup(staff, wrong)
    assert response.status_code == 400
    assert response.json()["message"] == "身份号码校验位错误，请逐位核对。"
    [entry] = lookups(school_staff)
    assert (entry.target, entry.person) == ("id:invalid", None)


@override_settings(REST_FRAMEWORK={**__import__("django.conf").conf.settings.REST_FRAMEWORK, **LOW_RATE})
def test_lookups_are_rate_limited_with_the_chinese_error(staff, school_staff, family):
    child = family()
    assert [lookup(staff, child.id_number).status_code for _ in range(3)] == [200, 200, 200]
    response = lookup(staff, child.id_number)
    assert response.status_code == 429
    assert response.json() == {"code": "throttled", "message": "请求过于频繁，请稍后再试。", "fields": {}}
    assert int(response["Retry-After"]) > 0
    assert len(lookups(school_staff)) == 3


@override_settings(REST_FRAMEWORK={**__import__("django.conf").conf.settings.REST_FRAMEWORK, **LOW_RATE})
def test_the_page_and_the_api_share_one_limit(staff, school_staff, family):
    child = family()
    for _ in range(3):
        assert lookup(staff, child.id_number).status_code == 200
    response = staff.post(reverse("schoolsync:school_lookup"), {"id_number": child.id_number, "year": YEAR})
    assert response.status_code == 429
    assert "请求过于频繁，请稍后再试。" in response.content.decode()
    assert len(lookups(school_staff)) == 3


@pytest.mark.parametrize("who", ["parent", "clerk_east"])
def test_parents_and_clerks_are_refused(login, request, who, family):
    client = login(request.getfixturevalue(who))
    child = family()
    assert lookup(client, child.id_number).status_code == 403
    assert client.get(reverse("schoolsync:school_home")).status_code == 403
    assert client.post(reverse("schoolsync:school_lookup"), {"id_number": child.id_number}).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.LOOKUP).exists()


def test_the_page_shows_the_verdict_reasons_and_items(staff, school_staff, family):
    child = family()
    response = staff.post(reverse("schoolsync:school_lookup"), {"id_number": child.id_number, "year": YEAR})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="eligible"' in page
    assert "符合条件" in page and "王小宝" in page and child.household.number in page
    assert "出生于2020-05-01，到2027-08-31已满6周岁。" in page
    assert len(lookups(school_staff)) == 1


def test_the_page_answers_unknown_and_invisible_alike(staff, west_head, family):
    unknown = valid_id_number(birth_date=dt.date(2020, 1, 1))
    url = reverse("schoolsync:school_lookup")
    outside = staff.post(url, {"id_number": west_head.id_number, "year": YEAR})
    missing = staff.post(url, {"id_number": unknown, "year": YEAR})
    assert outside.status_code == missing.status_code == 404
    for response in (outside, missing):
        assert "未找到，或您无权查看。" in response.content.decode()
        assert west_head.name not in response.content.decode()


def test_the_page_shows_the_id_number_error(staff, school_staff):
    response = staff.post(reverse("schoolsync:school_lookup"), {"id_number": "12345", "year": YEAR})
    assert response.status_code == 400
    assert "公民身份号码应为18位。" in response.content.decode()
    assert [entry.target for entry in lookups(school_staff)] == ["id:invalid"]


def test_a_lookup_costs_three_queries_whatever_the_registry_size(school_staff, family, django_assert_num_queries):
    from schoolsync.services.eligibility import eligibility_lookup
    from tests.schoolsync.eligibility_fixtures import TODAY

    child = family()
    # person (with household, address, parents, catchment, enrolment), access log, rule
    with django_assert_num_queries(3):
        lookup = eligibility_lookup(actor=school_staff, id_number=child.id_number, purpose="enrolment", on=TODAY)
    assert lookup.answer.verdict == "eligible"


def test_the_api_answers_in_english_when_asked(staff, family):
    child = family()
    body = staff.post(
        API, {"id_number": child.id_number, "year": YEAR}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert body["verdict_label"] == "Eligible"
    assert body["reasons"][0]["message"] == "Born on 2020-05-01: 6 years old by 2027-08-31."
