"""The case workflow: receive, review, sign off, reject, accept with missing, lapse."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from common.roles import Role
from hukou.codes import Relationship
from hukou.models import AccessLog, ArchivePage, BusinessType, Case, CaseTransition, ChangeEvent, Person
from hukou.selectors.cases import overdue_cases, stalled_cases
from hukou.services.cases import (
    case_accept_with_missing,
    case_approve,
    case_complete,
    case_lapse_overdue,
    case_receive,
    case_reject,
    case_submit_for_review,
    case_supplement_received,
)
from hukou.services.casework import (
    archive_page_add,
    id_card_collected,
    id_card_fee_paid,
    id_card_fingerprint_taken,
    id_card_photo_taken,
    id_card_ready,
)
from tests import upload_samples as samples
from tests.factories import UserFactory
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

CHILD = {"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER}


def bt(code):
    return BusinessType.objects.get(code=code)


def receive_birth(clerk, household, **extra):
    return case_receive(
        actor=clerk, business_type=bt("birth"), applicant_name="张建华", household=household, payload=CHILD, **extra
    )


def test_it_receives_a_case_with_number_due_date_and_first_transition(clerk_east, east_household, east_head):
    case = receive_birth(clerk_east, east_household)

    today = timezone.localdate()
    assert case.number == f"EAST-{today:%Y%m%d}-0001"
    assert receive_birth(clerk_east, east_household).number == f"EAST-{today:%Y%m%d}-0002"
    assert case.due_on > today
    assert case.received_by == clerk_east
    assert list(case.transitions.values_list("to_status", flat=True)) == ["received"]


def test_it_refuses_a_bad_id_number_at_the_window(clerk_east, east_household, east_head):
    with pytest.raises(ValidationError) as caught:
        case_receive(
            actor=clerk_east, business_type=bt("birth"), applicant_name="张建华", household=east_household,
            payload={**CHILD, "id_number": "360102202611010021"},
        )  # fmt: skip

    assert "身份号码" in caught.value.messages[0]
    assert not Case.objects.exists()


def test_it_refuses_a_case_on_another_stations_household(clerk_east, west_household, west_head):
    with pytest.raises(ValidationError) as caught:
        receive_birth(clerk_east, west_household)

    assert "其他派出所" in caught.value.messages[0]
    assert not Case.objects.exists()


def test_it_refuses_a_receiver_role_the_business_type_does_not_allow(aux_east, east_household, east_head):
    with pytest.raises(ValidationError) as caught:
        case_receive(
            actor=aux_east, business_type=bt("cancellation"), applicant_name="张建华", person=east_head,
            payload={"reason": "重复"},
        )  # fmt: skip

    assert "户口注销" in caught.value.messages[0]
    assert not Case.objects.exists()


def test_birth_approved_by_another_officer_adds_the_child(clerk_east, approver_east, east_household, east_head):
    case = receive_birth(clerk_east, east_household)
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    case = case_approve(actor=approver_east, case_id=case.pk, note="材料齐全")

    assert case.status == Case.Status.COMPLETED
    assert case.approved_by == approver_east
    child = Person.objects.get(name="张小红")
    assert case.person == child
    event = ChangeEvent.objects.get(person=child)
    assert event.case == case
    assert child.history.get().history_change_reason.startswith(f"[{case.number}]")
    assert list(case.transitions.values_list("to_status", flat=True)) == ["received", "under_review", "completed"]


def test_it_refuses_an_approver_approving_their_own_case(approver_east, admin_east, east_household, east_head):
    # A station admin may receive here only because the test makes it a receiver role.
    birth = bt("birth")
    birth.receiver_roles = [*birth.receiver_roles, Role.STATION_ADMIN]
    birth.save()
    case = receive_birth(admin_east, east_household)
    case_submit_for_review(actor=admin_east, case_id=case.pk)

    with pytest.raises(ValidationError) as caught:
        case_approve(actor=admin_east, case_id=case.pk)

    assert "另一名审核人员" in caught.value.messages[0]
    case.refresh_from_db()
    assert (case.status, case.approved_by) == (Case.Status.UNDER_REVIEW, None)
    assert not Person.objects.filter(name="张小红").exists()


def test_it_refuses_an_aux_clerk_approving(clerk_east, aux_east, east_household, east_head):
    case = receive_birth(clerk_east, east_household)
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    with pytest.raises(ValidationError) as caught:
        case_approve(actor=aux_east, case_id=case.pk)

    assert "辅警" in caught.value.messages[0]
    assert not Person.objects.filter(name="张小红").exists()
    assert CaseTransition.objects.filter(case=case).count() == 2


def test_it_refuses_an_approver_of_another_station(clerk_east, approver_west, east_household, east_head):
    case = receive_birth(clerk_east, east_household)
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    with pytest.raises(ValidationError) as caught:
        case_approve(actor=approver_west, case_id=case.pk)

    assert "其他派出所" in caught.value.messages[0]
    case.refresh_from_db()
    assert case.status == Case.Status.UNDER_REVIEW


def test_a_registry_refusal_at_sign_off_rolls_everything_back(clerk_east, approver_east, east_household, east_child):
    case = case_receive(
        actor=clerk_east, business_type=bt("move_out"), applicant_name="张建华", person=east_child,
        payload={"destination": "上海市"},
    )  # fmt: skip
    case_submit_for_review(actor=clerk_east, case_id=case.pk)
    Person.objects.filter(pk=east_child.pk).update(status=Person.Status.DECEASED)

    with pytest.raises(ValidationError) as caught:
        case_approve(actor=approver_east, case_id=case.pk)

    assert "已死亡" in caught.value.messages[0]
    case.refresh_from_db()
    assert (case.status, case.approved_by) == (Case.Status.UNDER_REVIEW, None)
    assert not ChangeEvent.objects.exists()


def test_rejection_needs_reasons_and_changes_nothing(clerk_east, approver_east, east_household, east_head):
    case = receive_birth(clerk_east, east_household)
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    with pytest.raises(ValidationError):
        case_reject(actor=approver_east, case_id=case.pk, reason=" ")
    case = case_reject(actor=approver_east, case_id=case.pk, reason="出生医学证明与申请不符")

    assert (case.status, case.outcome_reason) == (Case.Status.REJECTED, "出生医学证明与申请不符")
    assert not Person.objects.filter(name="张小红").exists()


def test_accept_with_missing_then_supplement(clerk_east, east_household, east_head):
    case = receive_birth(clerk_east, east_household)

    case = case_accept_with_missing(actor=clerk_east, case_id=case.pk, missing_items=["复印件模糊", "盖章位置偏移"])
    assert case.status == Case.Status.AWAITING_SUPPLEMENT
    assert case.supplement_due_on > timezone.localdate()

    case = case_supplement_received(actor=clerk_east, case_id=case.pk)
    assert (case.status, case.missing_items) == (Case.Status.RECEIVED, [])


def test_only_the_receiving_clerk_moves_the_case_at_the_window(clerk_east, aux_east, east_household, east_head):
    case = receive_birth(clerk_east, east_household)

    with pytest.raises(ValidationError) as caught:
        case_submit_for_review(actor=aux_east, case_id=case.pk)

    assert "首问负责" in caught.value.messages[0]


def test_a_missed_supplement_deadline_lapses_the_case_with_a_reason(clerk_east, east_household, east_head):
    case = receive_birth(clerk_east, east_household)
    case = case_accept_with_missing(actor=clerk_east, case_id=case.pk, missing_items=["复印件模糊"])

    assert case_lapse_overdue(today=case.supplement_due_on) == []
    assert case_lapse_overdue(today=case.supplement_due_on + dt.timedelta(days=1)) == [case.number]
    assert case_lapse_overdue(today=case.supplement_due_on + dt.timedelta(days=2)) == []

    case.refresh_from_db()
    assert case.status == Case.Status.LAPSED
    assert "复印件模糊" in case.outcome_reason
    assert case.transitions.last().actor is None


def test_a_certificate_needs_no_sign_off_and_is_completed_on_the_spot(clerk_east, east_household, east_head):
    case = case_receive(
        actor=clerk_east, business_type=bt("hukou_certificate"), applicant_name="张建华", person=east_head
    )

    with pytest.raises(ValidationError):
        case_submit_for_review(actor=clerk_east, case_id=case.pk)
    case = case_complete(actor=clerk_east, case_id=case.pk)

    assert (case.status, case.approved_by) == (Case.Status.COMPLETED, None)


def test_id_card_steps_in_order_then_collection_completes(clerk_east, east_household, east_head):
    case = case_receive(actor=clerk_east, business_type=bt("id_card"), applicant_name="张建华", person=east_head)

    with pytest.raises(ValidationError) as caught:
        id_card_ready(actor=clerk_east, case_id=case.pk)
    assert "照片" in caught.value.messages[0]

    id_card_photo_taken(actor=clerk_east, case_id=case.pk)
    id_card_fingerprint_taken(actor=clerk_east, case_id=case.pk)
    id_card_fee_paid(actor=clerk_east, case_id=case.pk, amount=Decimal("20.00"))
    id_card_ready(actor=clerk_east, case_id=case.pk)
    card = id_card_collected(actor=clerk_east, case_id=case.pk, collected_by_name="张建华")

    case.refresh_from_db()
    assert card.collected_at is not None
    assert case.status == Case.Status.COMPLETED


def test_archive_pages_are_append_only(clerk_east, east_household, east_head, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = case_receive(
        actor=clerk_east, business_type=bt("archive"), applicant_name="张建华", household=east_household
    )
    scan = SimpleUploadedFile("page1.png", samples.png_bytes(), content_type="image/png")

    page = archive_page_add(actor=clerk_east, file=scan, title="迁移证第1页", household=east_household, case=case)
    case_complete(actor=clerk_east, case_id=case.pk)

    page.title = "改"
    with pytest.raises(TypeError):
        page.save()
    with pytest.raises(TypeError):
        ArchivePage.objects.all().delete()
    assert ArchivePage.objects.get().title == "迁移证第1页"


def test_overdue_and_stalled_cases_are_listed_for_the_station(clerk_east, clerk_west, east_household, east_head):
    case = receive_birth(clerk_east, east_household)
    later = case.due_on + dt.timedelta(days=14)

    assert list(overdue_cases(user=clerk_east, today=later)) == [case]
    assert list(overdue_cases(user=clerk_west, today=later)) == []
    stalled = stalled_cases(user=clerk_east, today=later)
    assert stalled == [case]
    assert stalled[0].idle_working_days >= 3
    assert stalled_cases(user=clerk_east, today=timezone.localdate()) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("business_catalogue")
def test_two_approvers_at_once_complete_the_case_once(east, clerk_east, approver_east, admin_east, east_household):
    from tests.factories import PersonFactory

    PersonFactory(household=east_household, relationship=Relationship.HEAD)
    case = receive_birth(clerk_east, east_household)
    case_submit_for_review(actor=clerk_east, case_id=case.pk)
    barrier = threading.Barrier(2)  # both threads call approve at the same moment
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            case_approve(actor=user, case_id=case.pk)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (approver_east, admin_east)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 1
    assert any("已办结" in outcome for outcome in outcomes)
    assert Person.objects.filter(name="张小红").count() == 1
    assert CaseTransition.objects.filter(case=case, to_status=Case.Status.COMPLETED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("business_catalogue")
def test_concurrent_receipts_get_distinct_numbers(east, east_household):
    from tests.factories import PersonFactory

    PersonFactory(household=east_household, relationship=Relationship.HEAD)
    clerks = [UserFactory(username=f"c{n}", role=Role.CLERK, station=east) for n in range(4)]
    barrier = threading.Barrier(len(clerks))
    numbers = []

    birth = bt("birth")

    def receive(clerk):
        try:
            barrier.wait()
            numbers.append(
                case_receive(
                    actor=clerk, business_type=birth, applicant_name="张建华", household=east_household, payload=CHILD
                ).number
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=receive, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(set(numbers)) == 4


def test_the_periodic_task_lapses_cases_past_their_supplement_deadline(clerk_east, east_household, east_head):
    from hukou.tasks import case_lapse_overdue_task

    case = receive_birth(clerk_east, east_household)
    case_accept_with_missing(actor=clerk_east, case_id=case.pk, missing_items=["复印件模糊"])
    Case.objects.filter(pk=case.pk).update(supplement_due_on=dt.date(2026, 1, 5))

    assert case_lapse_overdue_task() == [case.number]
    assert Case.objects.get(pk=case.pk).status == Case.Status.LAPSED


def test_a_correction_case_records_before_and_after_on_the_case(clerk_east, approver_east, east_household, east_child):
    case = case_receive(
        actor=clerk_east, business_type=bt("correction"), applicant_name="张建华", person=east_child,
        payload={"changes": {"name": "张晓明"}, "reason": "更名"},
    )  # fmt: skip
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    case = case_approve(actor=approver_east, case_id=case.pk)

    assert case.payload["applied"] == {
        "name": {"before": "张小明", "after": "张晓明"},
        "former_names": {"before": "", "after": "张小明"},
    }
    assert Case.objects.get(pk=case.pk).payload["applied"]["name"]["after"] == "张晓明"
    assert case.history.count() == 3  # received, under review, completed: one row per step


def test_a_correction_that_contradicts_the_id_number_is_refused_at_the_window(clerk_east, east_household, east_child):
    # Keeping the number while changing the sex contradicts it (without "id_number" the
    # correction re-issues the number instead: tests/hukou/test_id_number_issuance.py).
    with pytest.raises(ValidationError) as caught:
        case_receive(
            actor=clerk_east, business_type=bt("correction"), applicant_name="张建华", person=east_child,
            payload={"changes": {"sex": "F", "id_number": east_child.id_number}, "reason": "更正"},
        )  # fmt: skip

    assert "性别码" in caught.value.messages[0]
    assert not Case.objects.exists()


def test_archive_pages_open_for_their_station_only_and_are_logged(
    client, clerk_east, clerk_west, east_household, east_head, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = case_receive(
        actor=clerk_east, business_type=bt("archive"), applicant_name="张建华", household=east_household
    )
    scan = SimpleUploadedFile("page1.png", samples.png_bytes(), content_type="image/png")
    page = archive_page_add(actor=clerk_east, file=scan, title="迁移证第1页", household=east_household, case=case)

    client.force_login(clerk_west)
    assert client.get(f"/hukou/archive-pages/{page.pk}/").status_code == 404
    client.force_login(clerk_east)
    response = client.get(f"/hukou/archive-pages/{page.pk}/")

    assert b"".join(response.streaming_content) == page.file.open("rb").read()
    assert response["Content-Type"] == "image/png"
    assert AccessLog.objects.filter(user=clerk_east, target=f"archive:{page.pk}").count() == 1
    assert not AccessLog.objects.filter(user=clerk_west).exists()
    client.logout()
    assert client.get(f"/media/{page.file.name}").status_code == 404
