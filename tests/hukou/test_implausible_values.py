"""Issue #11, finding 4: implausible values are refused by the services, whichever way they come."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hukou.codes import Relationship
from hukou.models import BusinessType, Case, CaseTransition, Guardianship, Person
from hukou.services.cases import case_receive, case_submit_for_review
from hukou.services.casework import id_card_fee_paid
from hukou.services.registry import guardianship_end, guardianship_set

pytestmark = pytest.mark.django_db
CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}


def _birth(clerk, household, **extra):
    values = {"applicant_name": "张建华", "payload": CHILD, **extra}
    return case_receive(
        actor=clerk, business_type=BusinessType.objects.get(code="birth"), household=household, **values
    )


def test_a_9_mb_case_note_is_refused(clerk_east, east_household, east_head):
    with pytest.raises(ValidationError) as refused:
        _birth(clerk_east, east_household, note="备" * 9_000_000)

    assert "note" in refused.value.message_dict
    assert not Case.objects.exists()


def test_a_9_mb_note_on_a_step_is_refused_through_the_api(client, clerk_east, east_household, east_head):
    case = _birth(clerk_east, east_household)
    client.force_login(clerk_east)

    answer = client.post(
        f"/api/v1/cases/{case.pk}/submit/", {"note": "备" * 9_000_000}, content_type="application/json"
    )

    assert answer.status_code == 400
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED
    assert CaseTransition.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("birth_date", ["0001-01-01", "1800-01-01", "1899-12-31", "2999-01-01"])
def test_a_birth_date_outside_1900_to_today_is_refused(clerk_east, east_household, east_head, birth_date):
    with pytest.raises(ValidationError):
        _birth(clerk_east, east_household, payload={**CHILD, "birth_date": birth_date})

    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["张\u202e明", "张\u200b明", "张明😀", "张\u0007明", "=HYPERLINK(1)", "张明²", "·张明", "张··明", "2张明"],
    ids=["rtl", "zero_width", "emoji", "bell", "formula", "superscript", "leading_dot", "double_dot", "leading_digit"],
)
def test_implausible_names_are_refused(clerk_east, east_household, east_head, name):
    with pytest.raises(ValidationError):
        _birth(clerk_east, east_household, payload={**CHILD, "name": name})
    with pytest.raises(ValidationError):
        _birth(clerk_east, east_household, applicant_name=name)

    assert not Case.objects.exists()


@pytest.mark.parametrize("name", ["阿依古丽·买买提", "阿依古丽•买买提", "欧阳小红"])
def test_minority_names_with_the_middle_dot_are_accepted(clerk_east, east_household, east_head, name):
    case = _birth(clerk_east, east_household, payload={**CHILD, "name": name})

    assert case.payload["name"] == name.replace("•", "·")


def test_an_applicant_id_number_with_a_bad_check_digit_is_refused(clerk_east, east_household, east_head):
    good = east_head.id_number
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    with pytest.raises(ValidationError) as refused:
        _birth(clerk_east, east_household, applicant_id_number=bad)

    assert "applicant_id_number" in refused.value.message_dict
    assert _birth(clerk_east, east_household, applicant_id_number=good).applicant_id_number == good


@pytest.mark.parametrize("phone", ["abc-not-a-phone", "123", "1380000000²", "+86 138 0000 0000 ext"])
def test_an_implausible_phone_number_is_refused(clerk_east, east_household, east_head, phone):
    with pytest.raises(ValidationError) as refused:
        _birth(clerk_east, east_household, applicant_phone=phone)

    assert "applicant_phone" in refused.value.message_dict


@pytest.mark.parametrize("phone", ["13800000000", "138 0000 0000", "0791-88888888"])
def test_mobile_and_landline_numbers_are_accepted(clerk_east, east_household, east_head, phone):
    assert _birth(clerk_east, east_household, applicant_phone=phone).applicant_phone


def test_a_negative_zero_fee_is_refused(clerk_east, east_head):
    case = case_receive(
        actor=clerk_east,
        business_type=BusinessType.objects.get(code="id_card"),
        applicant_name="张建华",
        person=east_head,
    )

    with pytest.raises(ValidationError):
        id_card_fee_paid(actor=clerk_east, case_id=case.pk, amount=Decimal("-0.00"))

    case.id_card.refresh_from_db()
    assert not case.id_card.fee_paid
    assert id_card_fee_paid(actor=clerk_east, case_id=case.pk, amount=Decimal("0")).fee_amount == 0


def test_a_guardianship_cannot_end_before_it_started(clerk_east, east_child, east_head):
    guardianship = guardianship_set(
        actor=clerk_east, child_id=east_child.pk, guardian_id=east_head.pk, relationship=Relationship.FATHER,
        valid_from=dt.date(2024, 1, 1), reason="监护关系确认",
    )  # fmt: skip

    with pytest.raises(ValidationError):
        guardianship_end(
            actor=clerk_east, guardianship_id=guardianship.pk, valid_until=dt.date(2023, 12, 31), reason="x"
        )

    guardianship.refresh_from_db()
    assert guardianship.valid_until is None


def test_the_database_refuses_a_guardianship_ending_before_it_started(east_child, east_head):
    with pytest.raises(IntegrityError), transaction.atomic():
        Guardianship.objects.create(
            child=east_child, guardian=east_head, relationship=Relationship.FATHER,
            valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2023, 1, 1),
        )  # fmt: skip


def test_the_birth_form_shows_the_name_error_at_the_field(login, clerk_east, east_household, east_head):
    answer = login(clerk_east).post(
        "/hukou/cases/new/birth/",
        {
            "household_number": east_household.number, "applicant_name": "张建华", "name": "张\u202e明", "sex": "F",
            "birth_date": "2026-11-01", "ethnicity": "01", "relationship": Relationship.DAUGHTER,
        },
    )  # fmt: skip

    assert answer.status_code == 200
    assert "字母" in answer.content.decode() or "姓名" in answer.content.decode()
    assert not Person.objects.filter(name__startswith="张\u202e").exists()
    assert not Case.objects.exists()


def test_submitting_still_works_with_a_plain_note(clerk_east, east_household, east_head):
    case = _birth(clerk_east, east_household, note="材料齐全")

    assert case_submit_for_review(actor=clerk_east, case_id=case.pk, note="送审").status == Case.Status.UNDER_REVIEW
