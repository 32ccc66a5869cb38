import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.idnumber import mask_id_number
from hukou.codes import Relationship
from hukou.models import AccessLog, Guardianship
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person_url(person):
    return reverse("hukou:person_detail", args=[person.pk])


def _household_url(household):
    return reverse("hukou:household_detail", args=[household.pk])


def test_it_shows_the_clerk_the_full_id_number_and_logs_the_view(login, clerk_east, east_head):
    response = login(clerk_east).get(_person_url(east_head), {"purpose": "户口本补领核对"})

    assert response.status_code == 200
    body = response.content.decode()
    assert east_head.id_number in body
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.person, entry.purpose) == (
        clerk_east,
        AccessLog.Action.VIEW,
        east_head,
        "户口本补领核对",
    )


def test_it_shows_the_auxiliary_clerk_a_masked_id_number(login, aux_east, east_head, east_child):
    client = login(aux_east)
    person_body = client.get(_person_url(east_head)).content.decode()
    household_body = client.get(_household_url(east_head.household)).content.decode()

    for body in (person_body, household_body):
        assert east_head.id_number not in body
        assert mask_id_number(east_head.id_number) in body
    assert east_child.id_number not in household_body


def test_it_answers_404_for_another_stations_person_and_logs_nothing(login, clerk_west, east_head):
    client = login(clerk_west)

    assert client.get(_person_url(east_head)).status_code == 404
    assert client.get(_household_url(east_head.household)).status_code == 404
    assert not AccessLog.objects.exists()


def test_it_refuses_school_staff(login, school_staff, east_head):
    assert login(school_staff).get(_person_url(east_head)).status_code == 403


def test_it_shows_the_timeline_with_who_and_why(login, clerk_east, east_head):
    east_head.name = "张建国"
    east_head._change_reason = "姓名变更（法院判决）"
    east_head.save()

    body = login(clerk_east).get(_person_url(east_head)).content.decode()

    assert "姓名变更（法院判决）" in body
    assert "张建华 → 张建国" in body


def test_household_page_lists_members_guardians_and_address(login, clerk_east, east_head, east_child):
    Guardianship.objects.create(
        child=east_child, guardian=east_head, relationship=Relationship.FATHER, valid_from=dt.date(2020, 5, 1)
    )

    body = login(clerk_east).get(_household_url(east_head.household)).content.decode()

    assert "张建华" in body and "张小明" in body
    assert "青山社区" in body
    assert AccessLog.objects.get().target == f"household:{east_head.household_id}"


def _add_members(household, count):
    for _ in range(count):
        child = PersonFactory(household=household, relationship=Relationship.SON, birth_date=dt.date(2015, 1, 1))
        child.name += "改"
        child.save()  # one more history row per member


@pytest.mark.parametrize("page", ["household", "person"])
def test_pages_cost_the_same_queries_for_one_or_ten_members(
    login, clerk_east, east_head, django_assert_num_queries, page
):
    client = login(clerk_east)
    url = _household_url(east_head.household) if page == "household" else _person_url(east_head)
    _add_members(east_head.household, 1)
    client.get(url)  # warm the session and translations
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _add_members(east_head.household, 9)
    for _ in range(5):
        east_head.save()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", ["person", "household"])
def test_a_page_reads_the_station_with_the_user_and_the_session_from_redis(
    login, clerk_east, east_head, settings, page
):
    """The station shown in the header comes with the user (accounts.backends), not from a query
    of its own; where Redis holds sessions (cached_db) no request reads the session table. The
    count staying the same for any household size is the test above."""
    client = login(clerk_east)
    url = _household_url(east_head.household) if page == "household" else _person_url(east_head)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert clerk_east.station.name in response.content.decode()
    sql = [query["sql"] for query in queries.captured_queries]
    assert not any('FROM "hukou_station"' in text for text in sql)
    assert any('FROM "accounts_user" LEFT OUTER JOIN "hukou_station"' in text for text in sql)
    if settings.SESSION_ENGINE.endswith("cached_db"):
        assert not any('"django_session"' in text for text in sql)


def test_search_finds_by_pinyin_with_spaces_and_by_road(login, clerk_east, east_head, west_head):
    client = login(clerk_east)

    by_pinyin = client.get(reverse("hukou:workbench"), {"q": "zhang jian"}).content.decode()
    by_road = client.get(reverse("hukou:workbench"), {"q": "青山路"}).content.decode()

    assert "张建华" in by_pinyin
    assert east_head.household.number in by_road
    assert west_head.household.number not in by_road
    assert _household_url(east_head.household) in by_road


def test_search_results_cost_the_same_queries_for_one_or_ten_members(
    login, clerk_east, east_head, django_assert_num_queries
):
    client = login(clerk_east)
    client.get(reverse("hukou:workbench"), {"q": "测试"})
    _add_members(east_head.household, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("hukou:workbench"), {"q": "测试"})
    _add_members(east_head.household, 9)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("hukou:workbench"), {"q": "测试"})


def test_lookup_by_id_number_is_one_query_and_scoped(clerk_east, clerk_west, east_head, django_assert_num_queries):
    from hukou.selectors.registry import person_by_id_number

    typed = f" {east_head.id_number} "
    with django_assert_num_queries(1):
        assert person_by_id_number(user=clerk_east, id_number=typed) == east_head
    assert person_by_id_number(user=clerk_west, id_number=east_head.id_number) is None


def test_the_chosen_purpose_is_logged_for_the_search_and_the_pages_opened_from_it(login, clerk_east, east_head):
    client = login(clerk_east)

    body = client.get(reverse("hukou:workbench"), {"q": "张建华", "purpose": "certificate"}).content.decode()
    client.get(_person_url(east_head), {"purpose": "certificate"})

    assert f"{_person_url(east_head)}?purpose=certificate" in body
    assert list(AccessLog.objects.order_by("at").values_list("action", "purpose")) == [
        ("search", "开具证明"),
        ("view", "开具证明"),
    ]


def test_timeline_shows_case_steps_and_change_events_with_the_case_number(login, clerk_east, approver_east, east_head):
    from django.db import transaction
    from django.utils import timezone

    from hukou.models import BusinessType, Case, CaseTransition, ChangeEvent
    from hukou.services.events import change_event_record

    case = Case.objects.create(
        number="HK2026112200001", business_type=BusinessType.objects.get(code="correction"),
        station=east_head.household.station, household=east_head.household, person=east_head,
        applicant_name="张建华", received_by=clerk_east,
        received_at=timezone.now(), due_on=dt.date(2026, 12, 1),
    )  # fmt: skip
    CaseTransition.objects.create(case=case, to_status="completed", actor=approver_east, note="材料齐全，准予变更")
    with transaction.atomic():
        change_event_record(
            kind=ChangeEvent.Kind.NAME_CHANGED, person=east_head, case=case, actor=approver_east,
            changes={"name": {"before": "张建华", "after": "张建国"}},
        )  # fmt: skip

    body = login(clerk_east).get(_person_url(east_head)).content.decode()

    assert "材料齐全，准予变更" in body
    assert body.count("HK2026112200001") == 2
    assert "张建华 → 张建国" in body
