"""Case screens: receive at the window, see the case, take the allowed steps."""

import datetime as dt

import pytest

from hukou.codes import Relationship
from hukou.models import AccessLog, BusinessType, Case, Person
from hukou.services.cases import case_receive, case_submit_for_review


def birth_case(clerk, household):
    return case_receive(
        actor=clerk, business_type=BusinessType.objects.get(code="birth"), applicant_name="张建华", household=household,
        payload={"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER},
    )  # fmt: skip


def test_the_clerk_receives_a_birth_through_the_form(login, clerk_east, east_household, east_head):
    client = login(clerk_east)
    start = client.get("/hukou/cases/new/")
    assert "出生登记" in start.content.decode()

    answer = client.post(
        "/hukou/cases/new/birth/",
        {
            "household_number": east_household.number, "applicant_name": "张建华", "name": "张小红", "sex": "F",
            "birth_date": "2026-11-01", "ethnicity": "01", "relationship": Relationship.DAUGHTER,
            "father_id_number": east_head.id_number,
        },
    )  # fmt: skip

    case = Case.objects.get()
    assert answer.status_code == 302
    assert answer.url == f"/hukou/cases/{case.pk}/"
    assert case.payload["father_id"] == east_head.pk
    page = client.get(answer.url).content.decode()
    assert case.number in page
    assert "送审" in page or "提交审签" in page


def test_the_form_shows_the_services_refusal_and_writes_nothing(login, clerk_east, east_household, east_head):
    client = login(clerk_east)

    answer = client.post(
        "/hukou/cases/new/birth/",
        {
            "household_number": east_household.number, "applicant_name": "张建华", "name": "张小红", "sex": "F",
            "birth_date": "2026-11-01", "ethnicity": "01", "relationship": Relationship.DAUGHTER,
            "id_number": "360102202611010021",
        },
    )  # fmt: skip

    assert answer.status_code == 200
    assert "身份号码" in answer.content.decode()
    assert not Case.objects.exists()


def test_a_household_of_another_station_is_not_found_in_the_form(login, clerk_east, west_household, west_head):
    answer = login(clerk_east).post(
        "/hukou/cases/new/move_out/",
        {"person_id_number": west_head.id_number, "applicant_name": "李西城", "destination": "北京市"},
    )

    assert "本所没有该身份号码的在册人员" in answer.content.decode()
    assert not Case.objects.exists()


def test_the_approver_signs_off_from_the_case_page(login, clerk_east, approver_east, east_household, east_head):
    case = birth_case(clerk_east, east_household)
    case_submit_for_review(actor=clerk_east, case_id=case.pk)
    client = login(approver_east)

    approvals = client.get("/hukou/approvals/").content.decode()
    assert f'href="/hukou/cases/{case.pk}/"' in approvals
    answer = client.post(f"/hukou/cases/{case.pk}/approve/", {"note": "同意"}, follow=True)

    assert "已办结" in answer.content.decode()
    assert Person.objects.filter(name="张小红").exists()
    assert AccessLog.objects.filter(target=f"case:{case.pk}").exists()


def test_the_receiver_cannot_approve_from_the_page(login, clerk_east, east_household, east_head):
    case = birth_case(clerk_east, east_household)
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    answer = login(clerk_east).post(f"/hukou/cases/{case.pk}/approve/", follow=True)

    assert "您的岗位不能审签该业务" in answer.content.decode()
    assert not Person.objects.filter(name="张小红").exists()


def test_an_approver_refused_sees_why(login, clerk_east, approver_west, approver_east, east_household, east_head):
    case = birth_case(clerk_east, east_household)

    answer = login(approver_east).post(f"/hukou/cases/{case.pk}/approve/", follow=True)

    assert "不能进行此操作" in answer.content.decode()
    assert Case.objects.get().status == Case.Status.RECEIVED


def test_another_stations_case_page_is_not_found(login, clerk_east, clerk_west, west_household, west_head):
    case = birth_case(clerk_west, west_household)

    assert login(clerk_east).get(f"/hukou/cases/{case.pk}/").status_code == 404


def test_the_station_page_lists_overdue_and_stalled_cases(login, clerk_east, admin_east, east_household, east_head):
    case = birth_case(clerk_east, east_household)
    Case.objects.filter(pk=case.pk).update(
        due_on=dt.date(2026, 1, 5), received_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    case.transitions.update(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    page = login(admin_east).get("/hukou/station/").content.decode()

    assert page.count(f'href="/hukou/cases/{case.pk}/"') == 2


@pytest.mark.django_db
def test_the_case_page_query_count_is_bounded(
    login, clerk_east, east_household, east_head, django_assert_max_num_queries
):
    case = birth_case(clerk_east, east_household)
    client = login(clerk_east)

    with django_assert_max_num_queries(15):
        client.get(f"/hukou/cases/{case.pk}/")


def test_a_move_in_of_a_newcomer_founds_a_household_at_an_address(login, clerk_east, approver_east, east):
    from tests.factories import AddressFactory, CommunityFactory

    address = AddressFactory(community=CommunityFactory(station=east, name="滨江社区"), road="滨江路")
    client = login(clerk_east)

    answer = client.post(
        "/hukou/cases/new/move_in/",
        {
            "applicant_name": "王大海", "name": "王大海", "sex": "M", "birth_date": "1990-02-03", "ethnicity": "01",
            "relationship": Relationship.HEAD, "address": address.pk, "household_kind": "family",
        },
    )  # fmt: skip
    case = Case.objects.get()
    case_submit_for_review(actor=clerk_east, case_id=case.pk)
    login(approver_east).post(f"/hukou/cases/{case.pk}/approve/")

    assert answer.status_code == 302
    person = Person.objects.get(name="王大海")
    assert (person.household.address, person.is_head) == (address, True)


def test_a_move_in_form_refuses_a_deceased_resident(login, clerk_east, east_household, east_head):
    from tests.factories import PersonFactory

    dead = PersonFactory(household=east_household, relationship=Relationship.FATHER, name="张老", status="deceased")

    answer = login(clerk_east).post(
        "/hukou/cases/new/move_in/",
        {
            "applicant_name": "张建华", "existing_id_number": dead.id_number, "relationship": Relationship.FATHER,
            "household_number": east_household.number, "ethnicity": "01",
        },
    )  # fmt: skip

    assert "张老 已死亡注销，不能迁移或变更。" in answer.content.decode()
    assert not Case.objects.exists()


def test_the_approver_dismisses_a_suspected_duplicate_on_the_approvals_page(
    login, approver_east, east_household, east_child
):
    from hukou.models import DuplicateSuspect
    from tests.factories import PersonFactory

    twin = PersonFactory(household=east_household, name=east_child.name, birth_date=east_child.birth_date,
                         relationship=Relationship.SON)  # fmt: skip
    suspect = DuplicateSuspect.objects.create(person=twin, suspected_of=east_child, reason="same_name_sex_birth")
    client = login(approver_east)
    assert "疑似重复登记" in client.get("/hukou/approvals/").content.decode()

    answer = client.post(
        f"/hukou/duplicates/{suspect.pk}/decide/", {"decision": "dismiss", "note": "双胞胎"}, follow=True
    )

    assert "裁定已记录" in answer.content.decode()
    suspect.refresh_from_db()
    assert suspect.status == "dismissed"
