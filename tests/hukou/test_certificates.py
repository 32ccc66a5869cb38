"""Certificates: idempotent issue, reissue with a reason, station scoping, issuance log, revoke."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from hukou.models import AccessLog, Certificate, CertificatePrint
from hukou.services.certificates import certificate_issue, certificate_record_print, certificate_revoke
from tests.factories import completed_case_factory

ENROLMENT = Certificate.Kind.ENROLMENT


def test_it_returns_the_same_certificate_when_issued_twice(east_child, clerk_east):
    first = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east)
    second = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east)
    assert second.pk == first.pk
    assert (first.was_issued_now, second.was_issued_now) == (True, False)
    assert first.serial.startswith("RX") and "-EAST-" in first.serial
    assert Certificate.objects.count() == 1


def test_it_returns_the_same_certificate_for_the_same_case(east_child, clerk_east):
    case = completed_case_factory(person=east_child, user=clerk_east)
    first = certificate_issue(case=case, person=east_child, kind=ENROLMENT, actor=clerk_east)
    assert certificate_issue(case=case, person=east_child, kind=ENROLMENT, actor=clerk_east).pk == first.pk
    assert first.snapshot["person"]["registered_at_address_on"] == "2018-03-01"
    assert first.snapshot["guardians"] == [{"name": "张建华", "relationship": "父亲"}]


def test_it_refuses_a_reissue_without_reason(east_child, clerk_east):
    first = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east)
    with pytest.raises(ValidationError) as exc:
        certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east, reissue_reason="  ")
    assert "补发需要填写原因" in exc.value.messages[0]
    assert Certificate.objects.count() == 1
    first.refresh_from_db()
    assert first.status == Certificate.Status.VALID


def test_it_supersedes_the_old_certificate_on_reissue(east_child, clerk_east):
    first = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east)
    second = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east, reissue_reason="原件遗失")
    first.refresh_from_db()
    assert second.pk != first.pk and second.reissue_of == first and second.reissue_reason == "原件遗失"
    assert first.status == Certificate.Status.SUPERSEDED
    assert second.serial != first.serial


def test_it_refuses_another_stations_clerk(east_child, clerk_west):
    with pytest.raises(PermissionDenied):
        certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_west)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("who", ["parent", "school_staff"])
def test_it_refuses_parents_and_schools(request, east_child, who):
    with pytest.raises(PermissionDenied):
        certificate_issue(person=east_child, kind=ENROLMENT, actor=request.getfixturevalue(who))
    assert not Certificate.objects.exists()


def test_it_refuses_a_case_that_is_not_completed(east_child, clerk_east):
    case = completed_case_factory(person=east_child, user=clerk_east)
    case.status = case.Status.UNDER_REVIEW
    case.save()
    with pytest.raises(ValidationError) as exc:
        certificate_issue(case=case, person=east_child, kind=ENROLMENT, actor=clerk_east)
    assert "办结" in exc.value.messages[0]
    assert not Certificate.objects.exists()


def test_it_logs_the_handover_once_per_request_key(east_child, clerk_east):
    certificate = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east)
    kwargs = {
        "certificate": certificate,
        "actor": clerk_east,
        "collected_by_name": "张建华",
        "collected_by_id_number": east_child.father.id_number,
        "id_checked": True,
        "request_key": "k1",
    }
    first = certificate_record_print(**kwargs)
    assert certificate_record_print(**kwargs).pk == first.pk
    assert CertificatePrint.objects.count() == 1
    assert "*" in first.collected_by_id_number and first.collected_by_id_number != east_child.father.id_number
    assert AccessLog.objects.filter(action="print", person=east_child).count() == 1


def test_it_refuses_a_handover_without_collector(east_child, clerk_east):
    certificate = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east)
    with pytest.raises(ValidationError) as exc:
        certificate_record_print(certificate=certificate, actor=clerk_east, collected_by_name=" ", id_checked=True)
    assert "领取人" in str(exc.value.message_dict)
    assert not CertificatePrint.objects.exists() and not AccessLog.objects.exists()


def test_it_lets_only_an_approver_revoke(east_child, clerk_east, approver_east):
    certificate = certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east)
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate=certificate, actor=clerk_east, reason="错误")
    certificate_revoke(certificate=certificate, actor=approver_east, reason="信息有误")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_issues_one_certificate_to_two_simultaneous_clicks(east_child, clerk_east):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def click():
        try:
            barrier.wait()
            results.append(certificate_issue(person=east_child, kind=ENROLMENT, actor=clerk_east).pk)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Certificate.objects.count() == 1
