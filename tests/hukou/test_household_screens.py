"""Clerk screens that edit a household, change its head and record or end guardianships."""

import datetime as dt

import pytest
from django.urls import reverse

from hukou.codes import Relationship
from hukou.models import AccessLog, ChangeEvent, Guardianship, Household, Person
from tests.factories import AddressFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db

STALE = "您编辑期间已有其他人修改了此记录"


def _edit_url(household):
    return reverse("hukou:household_edit", args=[household.pk])


def _head_url(household):
    return reverse("hukou:household_head_change", args=[household.pk])


def _guardian_url(person):
    return reverse("hukou:guardian_add", args=[person.pk])


@pytest.fixture
def new_address(east_household):
    return AddressFactory(community=east_household.address.community, road="青山路", number=88)


def _edit(client, household, *, address, version, reason="住址门牌整顿", kind="family"):
    data = {"address": address.pk, "kind": kind, "reason": reason, "version": version}
    return client.post(_edit_url(household), data)


def test_it_saves_a_new_address_with_history_and_a_change_event(login, clerk_east, east_head, new_address):
    household = east_head.household
    client = login(clerk_east)
    page = client.get(reverse("hukou:household_detail", args=[household.pk])).content.decode()
    assert _edit_url(household) in page and 'accesskey="e"' in page

    response = _edit(client, household, address=new_address, version=household.version)

    assert response.status_code == 302
    assert response.url == reverse("hukou:household_detail", args=[household.pk])
    household.refresh_from_db()
    assert household.address == new_address
    assert household.version == 2
    assert household.history.first().history_change_reason == "住址门牌整顿"
    event = ChangeEvent.objects.get()
    assert (event.kind, event.person) == (ChangeEvent.Kind.ADDRESS_CHANGED, east_head)
    assert "户信息已保存" in client.get(response.url).content.decode()


def test_it_refuses_the_second_save_of_two_clerks_and_changes_nothing(
    login, clerk_east, approver_east, east_head, new_address, client
):
    household = east_head.household
    other_address = AddressFactory(community=household.address.community, number=99)
    version_seen = household.version  # both clerks open the page and see version 1
    first = login(clerk_east)
    assert first.get(_edit_url(household)).status_code == 200
    assert _edit(first, household, address=new_address, version=version_seen).status_code == 302
    first.logout()

    second = login(approver_east)
    response = _edit(second, household, address=other_address, version=version_seen, reason="第二人修改")

    assert response.status_code == 200
    body = response.content.decode()
    assert STALE in body
    assert "您的修改未保存" in body
    assert new_address.full_text in body  # the current value is shown
    household.refresh_from_db()
    assert (household.address, household.version) == (new_address, 2)
    assert household.history.count() == 2  # the create and the first save only
    assert ChangeEvent.objects.count() == 1


def test_it_answers_404_for_another_stations_household(login, clerk_west, east_head, new_address):
    client = login(clerk_west)
    household = east_head.household

    assert client.get(_edit_url(household)).status_code == 404
    assert _edit(client, household, address=new_address, version=1).status_code == 404
    assert client.get(_head_url(household)).status_code == 404
    assert client.get(_guardian_url(east_head)).status_code == 404
    household.refresh_from_db()
    assert household.version == 1


@pytest.mark.parametrize("who", ["aux_east", "parent"])
def test_it_refuses_auxiliary_clerks_and_parents(request, login, who, east_head, new_address):
    client = login(request.getfixturevalue(who))
    household = east_head.household

    assert client.get(_edit_url(household)).status_code == 403
    assert _edit(client, household, address=new_address, version=1).status_code == 403
    assert client.post(_guardian_url(east_head), {}).status_code == 403
    household.refresh_from_db()
    assert household.address != new_address


def test_it_hides_the_edit_links_from_auxiliary_clerks(login, aux_east, east_head):
    body = login(aux_east).get(reverse("hukou:household_detail", args=[east_head.household_id])).content.decode()

    assert _edit_url(east_head.household) not in body
    assert _head_url(east_head.household) not in body


def test_it_changes_the_head(login, clerk_east, east_head, east_child):
    household = east_head.household
    response = login(clerk_east).post(
        _head_url(household),
        {
            "new_head": east_child.pk,
            "old_head_relationship": Relationship.FATHER,
            "reason": "原户主申请",
            "version": household.version,
        },
    )

    assert response.status_code == 302
    east_head.refresh_from_db()
    east_child.refresh_from_db()
    assert (east_head.relationship, east_child.relationship) == (Relationship.FATHER, Relationship.HEAD)
    assert ChangeEvent.objects.filter(kind=ChangeEvent.Kind.RELATIONSHIP_CHANGED).count() == 2


def test_it_refuses_a_head_who_is_not_a_member(login, clerk_east, east_head, east_child):
    household = east_head.household
    other_household = HouseholdFactory(address=AddressFactory(community=household.address.community))
    stranger = PersonFactory(household=other_household, relationship=Relationship.HEAD)
    response = login(clerk_east).post(
        _head_url(household),
        {"new_head": stranger.pk, "old_head_relationship": "51", "reason": "错误", "version": household.version},
    )

    assert response.status_code == 200
    assert "新户主必须是本户在册成员" in response.content.decode()
    east_head.refresh_from_db()
    household.refresh_from_db()
    assert (east_head.relationship, household.version) == (Relationship.HEAD, 1)
    assert not ChangeEvent.objects.exists()


@pytest.fixture
def mother(east_household):
    return PersonFactory(
        household=east_household, name="王丽", sex="F", birth_date=dt.date(1990, 2, 3), relationship=Relationship.WIFE
    )


def test_it_records_a_guardian_and_ends_it(login, clerk_east, east_child, mother):
    client = login(clerk_east)
    person_page = client.get(reverse("hukou:person_detail", args=[east_child.pk])).content.decode()
    assert _guardian_url(east_child) in person_page and 'accesskey="g"' in person_page

    response = client.post(
        _guardian_url(east_child),
        {
            "guardian_id_number": mother.id_number,
            "relationship": Relationship.MOTHER,
            "has_custody": "on",
            "valid_from": "2024-01-01",
            "reason": "监护关系确认",
        },
    )

    assert response.status_code == 302
    guardianship = Guardianship.objects.get()
    assert (guardianship.guardian, guardianship.child, guardianship.has_custody) == (mother, east_child, True)
    body = client.get(response.url).content.decode()
    assert "王丽" in body and reverse("hukou:guardian_end", args=[guardianship.pk]) in body

    response = client.post(
        reverse("hukou:guardian_end", args=[guardianship.pk]), {"valid_until": "2026-01-01", "reason": "法院判决变更"}
    )

    assert response.status_code == 302
    guardianship.refresh_from_db()
    assert guardianship.valid_until == dt.date(2026, 1, 1)
    assert guardianship.history.first().history_change_reason == "法院判决变更"
    assert ChangeEvent.objects.filter(kind=ChangeEvent.Kind.GUARDIAN_CHANGED).count() == 2
    purposes = set(AccessLog.objects.filter(person=east_child).values_list("purpose", flat=True))
    assert {"监护关系登记", "监护关系终止"} <= purposes


def test_it_refuses_the_child_as_its_own_guardian(login, clerk_east, east_child):
    response = login(clerk_east).post(
        _guardian_url(east_child),
        {"guardian_id_number": east_child.id_number, "relationship": Relationship.FATHER, "reason": "测试"},
    )

    assert response.status_code == 200
    assert "本人不能作为自己的监护人" in response.content.decode()
    assert not Guardianship.objects.exists()
    assert not ChangeEvent.objects.exists()


def test_it_refuses_an_unknown_or_foreign_id_number(login, clerk_east, east_child, west_head):
    client = login(clerk_east)
    for number in ("110101199003077777", west_head.id_number):
        response = client.post(
            _guardian_url(east_child),
            {"guardian_id_number": number, "relationship": Relationship.FATHER, "reason": "测试"},
        )
        assert response.status_code == 200
        assert "本派出所没有持此身份证号的在册居民" in response.content.decode()
    assert not Guardianship.objects.exists()
    assert Person.objects.get(pk=east_child.pk).version == 1


def test_it_refuses_to_end_a_guardianship_before_it_began(login, clerk_east, east_child, mother):
    guardianship = Guardianship.objects.create(
        child=east_child, guardian=mother, relationship=Relationship.MOTHER, valid_from=dt.date(2024, 1, 1)
    )
    response = login(clerk_east).post(
        reverse("hukou:guardian_end", args=[guardianship.pk]), {"valid_until": "2023-01-01", "reason": "测试"}
    )

    assert response.status_code == 200
    assert "监护关系的终止日期不能早于开始日期" in response.content.decode()
    guardianship.refresh_from_db()
    assert guardianship.valid_until is None
    assert Household.objects.get().version == 1


def test_it_refuses_a_stale_change_of_head(login, clerk_east, east_head, east_child, new_address):
    household = east_head.household
    client = login(clerk_east)
    assert _edit(client, household, address=new_address, version=1).status_code == 302

    response = client.post(
        _head_url(household),
        {"new_head": east_child.pk, "old_head_relationship": Relationship.FATHER, "reason": "变更", "version": 1},
    )

    assert response.status_code == 200
    assert STALE in response.content.decode()
    east_child.refresh_from_db()
    assert east_child.relationship == Relationship.SON
    assert not ChangeEvent.objects.filter(kind=ChangeEvent.Kind.RELATIONSHIP_CHANGED).exists()


def test_it_says_so_when_nothing_changed(login, clerk_east, east_head):
    household = east_head.household
    client = login(clerk_east)
    response = _edit(client, household, address=household.address, version=1, kind=household.kind)

    assert "没有任何修改" in client.get(response.url).content.decode()
    household.refresh_from_db()
    assert household.version == 1
    assert not ChangeEvent.objects.exists()


def test_it_refuses_to_edit_a_cancelled_household(login, clerk_east, east_head, new_address):
    household = east_head.household
    Household.objects.filter(pk=household.pk).update(status=Household.Status.CANCELLED)
    client = login(clerk_east)

    response = _edit(client, household, address=new_address, version=1)

    assert response.status_code == 302
    assert "该户已注销，不能再修改" in client.get(response.url).content.decode()
    household.refresh_from_db()
    assert household.address != new_address


def test_the_edit_page_reads_little(login, clerk_east, east_head, django_assert_max_num_queries):
    for number in range(10, 16):  # more addresses must not mean more queries
        AddressFactory(community=east_head.household.address.community, number=number)
    client = login(clerk_east)
    with django_assert_max_num_queries(8):
        response = client.get(_edit_url(east_head.household))

    assert response.status_code == 200
    assert 'name="version" value="1"' in response.content.decode()
