"""退回补正: an approver sends a case back to its receiving clerk with what must be corrected."""

import pytest
from django.core.exceptions import ValidationError

from hukou.codes import Relationship
from hukou.models import BusinessType, Case, CaseTransition, Person
from hukou.selectors.cases import case_actions
from hukou.services.cases import case_approve, case_receive, case_send_back, case_submit_for_review

CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}
REASONS = "出生医学证明编号与原件不一致，请核对"


def submitted_birth(clerk, household):
    case = case_receive(
        actor=clerk, business_type=BusinessType.objects.get(code="birth"), applicant_name="张建华",
        household=household, payload=CHILD,
    )  # fmt: skip
    return case_submit_for_review(actor=clerk, case_id=case.pk)


def test_it_returns_the_case_to_its_clerk_with_the_reasons(clerk_east, approver_east, east_household, east_head):
    case = submitted_birth(clerk_east, east_household)

    case = case_send_back(actor=approver_east, case_id=case.pk, reason=REASONS)

    assert case.status == Case.Status.RETURNED
    step = case.transitions.last()
    assert (step.from_status, step.to_status, step.actor, step.note) == (
        "under_review",
        "returned",
        approver_east,
        REASONS,
    )
    assert not Person.objects.filter(name="张小红").exists()
    assert case_actions(case=case, user=clerk_east) == ["submit", "reject"]
    assert case_actions(case=case, user=approver_east) == []


def test_the_clerk_corrects_and_sends_it_again_and_it_can_be_signed_off(
    clerk_east, approver_east, east_household, east_head
):
    case = submitted_birth(clerk_east, east_household)
    case_send_back(actor=approver_east, case_id=case.pk, reason=REASONS)

    case_submit_for_review(actor=clerk_east, case_id=case.pk, note="已核对原件")
    case = case_approve(actor=approver_east, case_id=case.pk)

    assert case.status == Case.Status.COMPLETED
    assert list(case.transitions.values_list("to_status", flat=True)) == [
        "received", "under_review", "returned", "under_review", "completed",
    ]  # fmt: skip
    assert Person.objects.filter(name="张小红", household=east_household).exists()


def test_it_needs_reasons_and_writes_nothing_without_them(clerk_east, approver_east, east_household, east_head):
    case = submitted_birth(clerk_east, east_household)
    before = CaseTransition.objects.count()

    with pytest.raises(ValidationError) as caught:
        case_send_back(actor=approver_east, case_id=case.pk, reason="  ")

    assert caught.value.code == "reason_required"
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW
    assert CaseTransition.objects.count() == before


@pytest.mark.parametrize("who", ["clerk_east", "aux_east", "approver_west"])
def test_only_an_approver_of_the_station_may_send_back(request, who, clerk_east, east_household, east_head):
    case = submitted_birth(clerk_east, east_household)

    with pytest.raises(ValidationError):
        case_send_back(actor=request.getfixturevalue(who), case_id=case.pk, reason=REASONS)

    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW


def test_a_case_not_under_review_cannot_be_sent_back(clerk_east, approver_east, east_household, east_head):
    case = case_receive(
        actor=clerk_east, business_type=BusinessType.objects.get(code="birth"), applicant_name="张建华",
        household=east_household, payload=CHILD,
    )  # fmt: skip

    with pytest.raises(ValidationError) as caught:
        case_send_back(actor=approver_east, case_id=case.pk, reason=REASONS)

    assert caught.value.code == "wrong_status"


def test_a_send_back_round_trip_on_the_screens(login, clerk_east, approver_east, east_household, east_head):
    case = case_receive(
        actor=clerk_east, business_type=BusinessType.objects.get(code="birth"), applicant_name="张建华",
        household=east_household, payload=CHILD,
    )  # fmt: skip
    clerk = login(clerk_east)
    submitted = clerk.post(f"/hukou/cases/{case.pk}/submit/", follow=True).content.decode()
    assert "已提交审签" in submitted and "已完成。" not in submitted

    approver = login(approver_east)
    page = approver.get(f"/hukou/cases/{case.pk}/").content.decode()
    assert "退回补正" in page and "审签意见" in page
    sent_back = approver.post(f"/hukou/cases/{case.pk}/send_back/", {"reason": REASONS}, follow=True).content.decode()
    assert "已退回" in sent_back

    clerk = login(clerk_east)
    page = clerk.get(f"/hukou/cases/{case.pk}/").content.decode()
    assert REASONS in page and "提交审签" in page
    case.refresh_from_db()
    assert case.status == Case.Status.RETURNED


def test_the_api_sends_back_for_approvers_only(client, clerk_east, approver_east, east_household, east_head):
    case = submitted_birth(clerk_east, east_household)
    client.force_login(clerk_east)
    refused = client.post(f"/api/v1/cases/{case.pk}/send-back/", {"reason": REASONS}, content_type="application/json")
    assert refused.status_code == 403

    client.force_login(approver_east)
    answer = client.post(f"/api/v1/cases/{case.pk}/send-back/", {"reason": REASONS}, content_type="application/json")

    assert answer.status_code == 200
    assert answer.json()["status"] == "returned"
    assert answer.json()["transitions"][-1]["note"] == REASONS
