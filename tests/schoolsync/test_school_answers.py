"""Answers a school can act on: sentences (codes only in the API), an upper age bound, a plain
answer for a year without rules, and never an adult's 8 items."""

import datetime as dt

import pytest
from django.urls import reverse

from hukou.codes import Relationship
from hukou.models import AccessLog
from tests.factories import PersonFactory
from tests.schoolsync.eligibility_fixtures import YEAR

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]
API = "/api/v1/school/eligibility/"


@pytest.fixture
def staff(login, school_staff):
    return login(school_staff)


def page_lookup(client, id_number, year=YEAR):
    return client.post(reverse("schoolsync:school_lookup"), {"id_number": id_number, "year": year})


def test_the_page_shows_reasons_as_sentences_without_codes(staff, family):
    body = page_lookup(staff, family().id_number).content.decode()

    assert "age_ok" not in body.replace('data-code="age_ok"', "")
    assert "catchment_in" not in body.replace('data-code="catchment_in"', "")
    assert "出生" in body and "学区" in body


def test_the_api_keeps_the_codes(staff, family):
    reasons = staff.post(API, {"id_number": family().id_number, "year": YEAR}, content_type="application/json")

    assert {"age_ok", "catchment_in"} <= {reason["code"] for reason in reasons.json()["reasons"]}


def test_an_over_age_child_needs_review_with_the_reason(staff, family):
    child = family(birth_date=dt.date(2016, 5, 1))  # 11 on the cut-off day

    body = staff.post(API, {"id_number": child.id_number, "year": YEAR}, content_type="application/json").json()

    assert body["verdict"] == "needs_review"
    over = next(reason for reason in body["reasons"] if reason["code"] == "age_over")
    assert over["outcome"] == "review" and "11" in over["message"]
    page = page_lookup(staff, child.id_number).content.decode()
    assert "需人工审核" in page and "超过" in page


def test_a_year_without_rules_answers_plainly(staff, family):
    child = family()

    page = page_lookup(staff, child.id_number, year=2028)
    api = staff.post(API, {"id_number": child.id_number, "year": 2028}, content_type="application/json")

    assert page.status_code == 404
    assert "该校尚未发布2028年招生规则" in page.content.decode()
    assert child.name not in page.content.decode()
    assert (api.status_code, api.json()["code"]) == (404, "no_rules_published")
    assert "该校尚未发布2028年招生规则" in api.json()["message"]


def test_an_adult_answers_like_an_unknown_number_and_is_logged(staff, school_staff, family):
    child = family()
    father = child.father
    unknown = PersonFactory.build(birth_date=dt.date(1985, 1, 1)).id_number

    adult = staff.post(API, {"id_number": father.id_number, "year": YEAR}, content_type="application/json")
    stranger = staff.post(API, {"id_number": unknown, "year": YEAR}, content_type="application/json")

    assert adult.status_code == stranger.status_code == 404
    assert adult.json() == stranger.json()
    assert father.name not in page_lookup(staff, father.id_number).content.decode()
    entry = AccessLog.objects.filter(user=school_staff, person=father).first()
    assert entry is not None and "成年人不予返回" in entry.purpose


def test_a_seventeen_year_old_is_still_a_child_for_the_school(staff, family):
    teen = family(birth_date=dt.date(2010, 1, 1), relationship=Relationship.SON)

    response = staff.post(API, {"id_number": teen.id_number, "year": YEAR}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["verdict"] == "needs_review"
