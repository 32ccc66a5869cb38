"""Issue #11, finding 6: everything a case payload names is checked against the actor's station
at reception; the case page shows nothing of another station."""

import datetime as dt

import pytest

from hukou.codes import Relationship
from hukou.models import AccessLog, BusinessType, Case, Person
from hukou.services.cases import case_receive, case_submit_for_review
from tests.factories import AddressFactory, CommunityFactory, PersonFactory

pytestmark = pytest.mark.django_db
CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}


@pytest.fixture
def west_mother(west_household):
    return PersonFactory(household=west_household, name="王西芳", sex="F", relationship=Relationship.WIFE)


@pytest.fixture
def west_address(west):
    return AddressFactory(community=CommunityFactory(station=west, name="西湖社区"), road="书院街")


def _counts():
    return Case.objects.count(), Person.objects.count(), AccessLog.objects.filter(person__isnull=False).count()


@pytest.mark.parametrize(
    "business, subject, payload",
    [
        ("birth", "household", lambda w: {**CHILD, "father_id": w["father"]}),
        ("birth", "household", lambda w: {**CHILD, "mother_id": w["mother"]}),
        ("move_in", None, lambda w: {"address_id": w["address"], "person": {**CHILD, "birth_date": "1990-01-01"}}),
        ("move_in", "household", lambda w: {"relationship": "20", "person": {**CHILD, "father_id": w["father"]}}),
    ],
    ids=["father", "mother", "address", "newcomer_father"],
)  # fmt: skip
def test_an_east_clerk_naming_west_ids_gets_400_and_nothing_is_written(
    client, clerk_east, east_household, east_head, west_head, west_mother, west_address, business, subject, payload
):
    west = {"father": west_head.pk, "mother": west_mother.pk, "address": west_address.pk}
    client.force_login(clerk_east)
    before = _counts()
    body = {"business_type": business, "applicant_name": "张建华", "payload": payload(west)}
    if subject:
        body["household"] = east_household.pk

    answer = client.post("/api/v1/cases/receive/", body, content_type="application/json")

    assert answer.status_code == 400
    text = answer.content.decode()
    assert "李西城" not in text and "王西芳" not in text and "书院街" not in text
    assert _counts() == before


def test_a_west_id_answers_like_an_id_that_does_not_exist(client, clerk_east, east_household, east_head, west_head):
    client.force_login(clerk_east)

    def receive(father_id):
        body = {"business_type": "birth", "applicant_name": "张建华", "household": east_household.pk,
                "payload": {**CHILD, "father_id": father_id}}  # fmt: skip
        return client.post("/api/v1/cases/receive/", body, content_type="application/json").json()

    assert receive(west_head.pk) == receive(999999)


def test_the_case_page_shows_nothing_of_west_even_for_a_stored_west_id(
    login, clerk_east, approver_east, east_household, east_head, west_head, west_address
):
    """A payload stored before reception checked it (or written by hand) must not leak either."""
    case = case_receive(
        actor=clerk_east, business_type=BusinessType.objects.get(code="birth"), applicant_name="张建华",
        household=east_household, payload=CHILD,
    )  # fmt: skip
    case_submit_for_review(actor=clerk_east, case_id=case.pk)
    Case.objects.filter(pk=case.pk).update(
        payload={**CHILD, "father_id": west_head.pk, "mother_id": "abc", "address_id": west_address.pk}
    )
    # A West resident who would be a duplicate candidate of the child.
    PersonFactory(
        household=west_head.household, name="张小红", sex="F", birth_date=dt.date(2026, 11, 1), relationship="30"
    )

    page = login(approver_east).get(f"/hukou/cases/{case.pk}/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "李西城" not in body
    assert "书院街" not in body
    assert west_head.household.number not in body
