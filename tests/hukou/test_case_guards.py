"""The extension point through which another app holds a case (hukou.services.case_guards)."""

import pytest
from django.core.exceptions import ValidationError

from hukou.codes import Relationship
from hukou.models import BusinessType, Case, CaseTransition
from hukou.services.case_guards import case_guard_register, case_guard_unregister
from hukou.services.cases import (
    case_accept_with_missing,
    case_receive,
    case_submit_for_review,
    case_supplement_received_online,
)
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("business_catalogue")

CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}


@pytest.fixture
def hold_everything():
    def guard(*, case, action):
        return f"材料未通过预审（{action}）"

    case_guard_register(guard)
    yield guard
    case_guard_unregister(guard)


def _receive(clerk, household):
    return case_receive(
        actor=clerk,
        business_type=BusinessType.objects.get(code="birth"),
        applicant_name="张建华",
        household=household,
        payload=CHILD,
    )


def test_it_holds_a_case_while_a_guard_says_no_and_writes_nothing(
    clerk_east, east_household, east_head, hold_everything
):
    case = _receive(clerk_east, east_household)
    steps = CaseTransition.objects.count()

    with pytest.raises(ValidationError) as refused:
        case_submit_for_review(actor=clerk_east, case_id=case.pk)

    assert refused.value.code == "held"
    assert "材料未通过预审（submit_for_review）" in refused.value.messages[0]
    assert Case.objects.get(pk=case.pk).status == Case.Status.RECEIVED
    assert CaseTransition.objects.count() == steps


def test_it_lets_the_case_go_on_once_the_guard_is_satisfied(clerk_east, east_household, east_head):
    case = _receive(clerk_east, east_household)
    allowed = []

    def guard(*, case, action):
        allowed.append(action)
        return None

    case_guard_register(guard)
    case_guard_register(guard)  # registering twice is harmless
    try:
        case = case_submit_for_review(actor=clerk_east, case_id=case.pk)
    finally:
        case_guard_unregister(guard)

    assert case.status == Case.Status.UNDER_REVIEW
    assert allowed == ["submit_for_review"]


def test_it_records_an_online_supplement_without_a_clerk(clerk_east, east_household, east_head):
    case = _receive(clerk_east, east_household)
    case_accept_with_missing(actor=clerk_east, case_id=case.pk, missing_items=["水电缴费单"])

    case = case_supplement_received_online(case_id=case.pk, note="网上补齐：水电缴费单")

    assert case.status == Case.Status.RECEIVED
    assert case.missing_items == []
    step = case.transitions.last()
    assert (step.actor, step.note) == (None, "网上补齐：水电缴费单")
