"""Issue #11, finding 7: auxiliary clerks never see full ID numbers through certificate PDFs and
cannot issue certificates; only the receiving clerk moves an ID-card case along (首问负责)."""

import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hukou.models import BusinessType, Certificate, IdCardApplication
from hukou.services.cases import case_receive
from hukou.services.casework import id_card_fee_paid, id_card_fingerprint_taken, id_card_photo_taken
from hukou.services.certificates import certificate_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_aux_clerk_cannot_issue_a_certificate_in_the_service(aux_east, east_child):
    with pytest.raises(PermissionDenied):
        certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=aux_east)

    assert not Certificate.objects.exists()


def test_an_aux_clerk_cannot_issue_through_the_page_or_the_api(login, aux_east, east_child):
    client = login(aux_east)

    page = client.post(f"/hukou/persons/{east_child.pk}/certificates/new/", {"kind": "enrolment"})
    api = client.post("/api/v1/certificates/", {"person": east_child.pk, "kind": "enrolment"})

    assert page.status_code == 403
    assert api.status_code == 403
    assert not Certificate.objects.exists()


@pytest.mark.pdftools  # CI fails rather than skips without poppler-utils
def test_an_aux_clerk_sees_only_masked_id_numbers_in_the_pdf(login, aux_east, clerk_east, east_child, tmp_path):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=clerk_east)

    def text_for(user):
        answer = login(user).get(f"/hukou/certificates/{certificate.pk}/pdf/")
        assert answer.status_code == 200
        path = tmp_path / f"{user.username}.pdf"
        path.write_bytes(answer.content)
        output = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return "".join(output.split())

    assert east_child.id_number in text_for(clerk_east)
    aux_text = text_for(aux_east)
    assert east_child.id_number not in aux_text
    assert east_child.masked_id_number in aux_text


@pytest.fixture
def id_card_case(clerk_east, east_head):
    business = BusinessType.objects.get(code="id_card")
    return case_receive(actor=clerk_east, business_type=business, applicant_name="张建华", person=east_head)


@pytest.fixture
def other_clerk(east):
    return UserFactory(username="clerk_east_2", real_name="李二", role="clerk", station=east)


@pytest.mark.parametrize(
    "step",
    [
        lambda actor, pk: id_card_photo_taken(actor=actor, case_id=pk),
        lambda actor, pk: id_card_fingerprint_taken(actor=actor, case_id=pk),
        lambda actor, pk: id_card_fee_paid(actor=actor, case_id=pk, amount=Decimal("20")),
    ],
    ids=["photo", "fingerprint", "fee"],
)
def test_only_the_receiving_clerk_moves_an_id_card_case_along(id_card_case, other_clerk, approver_east, step):
    for intruder in (other_clerk, approver_east):
        with pytest.raises(ValidationError) as refused:
            step(intruder, id_card_case.pk)
        assert refused.value.code == "not_owner"

    card = IdCardApplication.objects.get(case=id_card_case)
    assert not (card.photo_taken or card.fingerprint_taken or card.fee_paid)
    assert id_card_case.transitions.count() == 1


def test_another_clerk_gets_400_from_the_api_step(client, id_card_case, other_clerk):
    client.force_login(other_clerk)

    answer = client.post(f"/api/v1/cases/{id_card_case.pk}/id-card/photo/")

    assert answer.status_code == 400
    assert not IdCardApplication.objects.get(case=id_card_case).photo_taken


def test_the_person_page_offers_an_aux_clerk_no_certificate_links(login, aux_east, clerk_east, east_child):
    assert (
        'data-testid="certificate-links"'
        not in login(aux_east).get(f"/hukou/persons/{east_child.pk}/").content.decode()
    )
    assert (
        'data-testid="certificate-links"' in login(clerk_east).get(f"/hukou/persons/{east_child.pk}/").content.decode()
    )
