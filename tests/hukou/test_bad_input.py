"""Issue #11, finding 3: bad input is a clear 400 or form error, never a 500, and writes nothing."""

import json

import pytest

from hukou.codes import Relationship
from hukou.models import BusinessType, Case, Certificate, CertificatePrint, Person
from hukou.services.cases import case_receive
from hukou.services.certificates import certificate_issue, certificate_snapshot
from tests.factories import completed_case_factory

pytestmark = pytest.mark.django_db
CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}


def _receive(client, **body):
    return client.post("/api/v1/cases/receive/", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "payload",
    [{**CHILD, "name": 123}, "abc", {**CHILD, "ethnicity": []}, {**CHILD, "name": "张\u0000红"},
     {**CHILD, "father_id": "abc"}, {**CHILD, "father_id": 999999}],
    ids=["name_number", "payload_text", "ethnicity_list", "nul", "father_text", "father_missing"],
)  # fmt: skip
def test_it_answers_400_for_wrong_types_at_reception(client, clerk_east, east_household, east_head, payload):
    client.force_login(clerk_east)

    answer = _receive(
        client, business_type="birth", applicant_name="张建华", household=east_household.pk, payload=payload
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert not Case.objects.exists()


def test_a_correction_with_a_number_as_new_name_answers_400(client, clerk_east, east_head):
    client.force_login(clerk_east)

    answer = _receive(
        client, business_type="correction", applicant_name="张建华", person=east_head.pk,
        payload={"changes": {"name": 5}, "reason": "更正"},
    )  # fmt: skip

    assert answer.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("address_id", ["abc", 999999], ids=["text", "missing"])
def test_a_move_in_address_that_cannot_be_found_is_refused_at_reception(client, clerk_east, east, address_id):
    client.force_login(clerk_east)
    newcomer = {"name": "王五", "sex": "M", "birth_date": "1990-01-01"}

    answer = _receive(
        client, business_type="move_in", applicant_name="王五", payload={"address_id": address_id, "person": newcomer}
    )

    assert answer.status_code == 400
    assert "payload.address_id" in answer.json()["fields"]
    assert not Case.objects.exists()


@pytest.fixture
def id_card_case(clerk_east, east_head):
    business = BusinessType.objects.get(code="id_card")
    return case_receive(actor=clerk_east, business_type=business, applicant_name="张建华", person=east_head)


@pytest.mark.parametrize("amount", ["NaN", "1e10", "abc", "-0.00", "Infinity", "２０"])
def test_the_id_card_fee_form_refuses_implausible_amounts(login, clerk_east, id_card_case, amount):
    client = login(clerk_east)

    answer = client.post(f"/hukou/cases/{id_card_case.pk}/id_fee/", {"amount": amount}, follow=True)

    assert answer.status_code == 200
    assert "金额" in answer.content.decode()
    id_card_case.id_card.refresh_from_db()
    assert not id_card_case.id_card.fee_paid


@pytest.mark.parametrize("amount", ["NaN", "1e10", "-0.00"])
def test_the_id_card_fee_api_refuses_implausible_amounts(client, clerk_east, id_card_case, amount):
    client.force_login(clerk_east)

    answer = client.post(f"/api/v1/cases/{id_card_case.pk}/id-card/fee/", {"amount": amount})

    assert answer.status_code == 400
    id_card_case.id_card.refresh_from_db()
    assert not id_card_case.id_card.fee_paid


@pytest.mark.parametrize("fee", ["NaN", "1e10", "abc", "-0.00"])
def test_the_certificate_handover_refuses_implausible_fees(login, clerk_east, east_head, fee):
    case = completed_case_factory(person=east_head, user=clerk_east, business_code="hukou_certificate")
    certificate = certificate_issue(case=case, person=east_head, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    client = login(clerk_east)

    answer = client.post(
        f"/hukou/certificates/{certificate.pk}/prints/",
        {"collected_by_name": "张建华", "id_checked": "on", "fee": fee},
        follow=True,
    )

    assert answer.status_code == 200
    assert not CertificatePrint.objects.exists()


def test_an_enrolment_certificate_prints_a_guardian_with_an_unknown_code(monkeypatch, east_child, east_head):
    """Codes stored before the service checked them (issue #11) print, they do not crash."""
    monkeypatch.setattr("hukou.services.certificates.legal_guardians", lambda person: [(east_head, "ZZ")], raising=True)

    snapshot = certificate_snapshot(person=east_child, kind=Certificate.Kind.ENROLMENT)

    assert snapshot["guardians"] == [{"name": "张建华", "relationship": "其他亲属（ZZ）"}]
    assert Person.objects.count() == 2
