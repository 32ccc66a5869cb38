"""Newborns get their citizen ID number when the birth registration is completed; a number is
never issued twice; a corrected sex or birth date re-issues it with the old one kept."""

import datetime as dt
import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from common.idnumber import birth_date_of, sex_of, validate_id_number
from hukou.codes import Relationship
from hukou.models import BusinessType, ChangeEvent, IssuedIdNumber, Person
from hukou.services.cases import case_approve, case_receive, case_submit_for_review
from hukou.services.certificates import certificate_snapshot
from hukou.services.registry import person_correct, person_end, person_register_birth
from schoolsync.models import OutboundEvent
from tests.factories import HouseholdFactory, PersonFactory
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

BORN = dt.date(2026, 11, 1)
BOY = {"name": "张小明", "sex": "M", "birth_date": BORN, "relationship": Relationship.SON}
GIRL = {"name": "张小红", "sex": "F", "birth_date": BORN, "relationship": Relationship.DAUGHTER}


def _birth(clerk, household, child=BOY, **extra):
    return person_register_birth(actor=clerk, household_id=household.pk, child={**child, **extra}, reason="出生登记")


@pytest.mark.django_db
def test_a_completed_birth_case_issues_a_valid_number_carried_by_the_event_and_the_certificate(
    clerk_east, approver_east, east_household, east_head
):
    case = case_receive(
        actor=clerk_east,
        business_type=BusinessType.objects.get(code="birth"),
        applicant_name=east_head.name,
        household=east_household,
        payload={**GIRL, "birth_date": BORN.isoformat()},
    )
    case_submit_for_review(actor=clerk_east, case_id=case.pk)
    case = case_approve(actor=approver_east, case_id=case.pk, note="材料齐全")

    child = case.person
    assert validate_id_number(child.id_number) == child.id_number
    assert child.id_number.startswith("36010220261101")
    assert (birth_date_of(child.id_number), sex_of(child.id_number)) == (BORN, "F")
    assert IssuedIdNumber.objects.get(number=child.id_number).case == case
    event = ChangeEvent.objects.get(person=child, kind="person_added")
    assert event.changes["id_number"]["after"] == child.id_number
    assert child.id_number in json.dumps(OutboundEvent.objects.get(change_event=event).payload)
    assert child.history.first().id_number == child.id_number
    assert certificate_snapshot(person=child, kind="hukou")["person"]["id_number"] == child.id_number


@pytest.mark.django_db
def test_sequence_codes_are_odd_for_boys_even_for_girls_and_never_repeat(clerk_east, east_household, east_head):
    numbers = [_birth(clerk_east, east_household, BOY, name=f"张{n}").id_number for n in "甲乙"]
    numbers += [_birth(clerk_east, east_household, GIRL, name=f"张{n}").id_number for n in "丙丁"]

    assert [int(number[14:17]) for number in numbers] == [1, 3, 2, 4]
    assert len(set(numbers)) == 4


@pytest.mark.django_db
def test_a_cancelled_person_s_number_is_never_issued_again(clerk_east, approver_east, east_household, east_head):
    first = _birth(clerk_east, east_household)
    person_end(actor=approver_east, person_id=first.pk, status=Person.Status.CANCELLED, reason="重复登记")
    IssuedIdNumber.objects.filter(number=first.id_number).update()  # the row stays

    second = _birth(clerk_east, east_household, name="张小亮")

    assert second.id_number != first.id_number


@pytest.mark.django_db
def test_numbers_already_held_in_the_registry_are_skipped(clerk_east, east_household, east_head):
    first17 = f"360102{BORN:%Y%m%d}001"
    from common.idnumber import check_digit

    PersonFactory(
        household=HouseholdFactory(station=east_household.station),
        id_number=first17 + check_digit(first17),
        birth_date=BORN,
        sex="M",
        relationship=Relationship.HEAD,
    )

    assert _birth(clerk_east, east_household).id_number[14:17] == "003"


@pytest.mark.django_db
def test_a_station_without_a_division_code_issues_nothing_and_writes_nothing(clerk_east, east_household, east_head):
    east_household.station.division_code = ""
    east_household.station.save()

    with pytest.raises(ValidationError) as caught:
        _birth(clerk_east, east_household)

    assert "行政区划代码" in caught.value.messages[0]
    assert not Person.objects.filter(name="张小明").exists()


@pytest.mark.django_db
def test_a_correction_case_of_the_sex_re_issues_the_number_and_keeps_the_old_one(
    clerk_east, approver_east, east_household, east_head
):
    child = _birth(clerk_east, east_household)
    old = child.id_number
    case = case_receive(
        actor=clerk_east,
        business_type=BusinessType.objects.get(code="correction"),
        applicant_name=east_head.name,
        person=child,
        payload={"changes": {"sex": "F"}, "reason": "出生医学证明性别登记错误"},
    )
    case_submit_for_review(actor=clerk_east, case_id=case.pk)
    case_approve(actor=approver_east, case_id=case.pk, note="核对出生医学证明")

    child.refresh_from_db()
    assert child.id_number != old and sex_of(child.id_number) == "F"
    assert child.id_number[:14] == old[:14]
    retired = IssuedIdNumber.objects.get(number=old)
    assert retired.replaced_by == child.id_number and retired.replaced_at is not None
    event = ChangeEvent.objects.get(person=child, kind="id_number_changed")
    assert event.changes["id_number"] == {"before": old, "after": child.id_number}


@pytest.mark.django_db
def test_a_corrected_birth_date_re_issues_the_number_and_the_old_is_not_reused(clerk_east, east_household, east_head):
    child = _birth(clerk_east, east_household)
    old = child.id_number

    person_correct(
        actor=clerk_east, person_id=child.pk, changes={"birth_date": BORN - dt.timedelta(days=1)}, reason="更正"
    )
    child.refresh_from_db()
    person_correct(actor=clerk_east, person_id=child.pk, changes={"birth_date": BORN}, reason="再次更正")

    child.refresh_from_db()
    assert child.id_number not in (old,) and birth_date_of(child.id_number) == BORN
    assert IssuedIdNumber.objects.filter(person=child).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_births_of_one_place_and_day_never_share_a_number(
    business_catalogue,  # noqa: F811
    east,
    clerk_east,
):
    households = [HouseholdFactory(station=east) for _ in range(6)]
    barrier = threading.Barrier(len(households))
    numbers, errors = [], []

    def register(household, index):
        try:
            barrier.wait()
            person = _birth(clerk_east, household, BOY, name=f"王{index}", relationship=Relationship.HEAD)
            numbers.append(person.id_number)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(h, i)) for i, h in enumerate(households)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert len(numbers) == 6 and len(set(numbers)) == 6
    assert sorted(int(number[14:17]) for number in numbers) == [1, 3, 5, 7, 9, 11]
    assert IssuedIdNumber.objects.count() == 6
