"""The parent's pre-review, the one-time notice and accept-with-missing, to the end."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from documents.models import Application, ApplicationItem, Notice, NoticeOverride, Reminder, Upload, Verdict
from documents.services.applications import application_answer, application_commitment_sign, application_start
from documents.services.notices import notice_request_beyond
from documents.services.supplements import reminders_send
from documents.services.uploads import upload_receive
from documents.services.window import application_accept_with_missing, application_to_case, verdict_override
from hukou.models import Case
from hukou.services.cases import case_complete, case_lapse_overdue
from tests.documents.conftest import recent

OFF_PLAN_FIRST_ENROLMENT = {"first_enrolment": True, "own_property": True, "property_delivered": False}


@pytest.fixture
def application(parent, east_child):
    started = application_start(user=parent, business_type_code="school_certificate", child_id=east_child.pk)
    return application_answer(user=parent, application_id=started.pk, answers=OFF_PLAN_FIRST_ENROLMENT)


def _item(application, code):
    return application.items.get(item__code=code)


_capture = None


@pytest.fixture(autouse=True)
def _run_on_commit(django_capture_on_commit_callbacks):
    """The pre-review is queued on commit (and Celery runs in-process in tests): run it."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _upload(parent, application, code, data, name="photo.jpg"):
    with _capture(execute=True):
        return upload_receive(user=parent, application_item_id=_item(application, code).pk, data=data, filename=name)


def _good_pages(ocr_says, parent, child):
    return {
        "birth_medical": ocr_says(
            ["出生医学证明", f"姓名：{child.name}", "出生日期：2020年05月01日", f"{child.id_number}"]
        ),
        "hukou_booklet": ocr_says(["常住人口登记卡", f"姓名：{child.name}", f"公民身份号码：{child.id_number}"]),
        "guardian_id": ocr_says(["中华人民共和国居民身份证", f"姓名：{parent.real_name}", f"{parent.id_number}"]),
        "purchase_contract": ocr_says(["商品房买卖合同", "网签备案号：2025-001"]),
        "purchase_invoice": ocr_says(["销售不动产统一发票", "金额：壹佰万元"]),
        "marriage_cert": ocr_says(["结婚证", f"持证人：{parent.real_name}"]),
        "child_photo": ocr_says(["照片"]),
    }


def _three_bad_pages(ocr_says):
    return {
        "vaccination": ocr_says(["预防接种证", "姓名：张小明"], blurred=True),
        "community_residence": ocr_says(
            ["居住证明", "姓名：王小红", "青山社区居民委员会", f"日期：{recent(5)}"], seal=True
        ),
        "utility_bills": ocr_says(["国网电费缴费凭证", f"缴费日期：{recent(200)}"]),
    }


def _upload_all(parent, application, pages):
    for code, data in pages.items():
        _upload(parent, application, code, data)


def test_it_computes_the_checklist_once_from_the_answers(application):
    codes = set(application.items.values_list("item__code", flat=True))
    assert {"purchase_contract", "purchase_invoice", "utility_bills", "birth_medical", "vaccination"} <= codes
    assert "property_cert" not in codes, "an off-plan flat has no property certificate yet"
    assert "court_judgment" not in codes and "rental_record" not in codes


def test_it_refuses_a_child_that_is_not_the_parents(parent, west_head):
    with pytest.raises(ValidationError) as refused:
        application_start(user=parent, business_type_code="school_certificate", child_id=west_head.pk)
    assert refused.value.code == "not_your_child"
    assert not Application.objects.exists()


def test_it_gives_each_verdict_with_its_reason_and_the_notice_names_exactly_the_three(
    application, parent, east_child, ocr_says
):
    _upload_all(parent, application, {**_good_pages(ocr_says, parent, east_child), **_three_bad_pages(ocr_says)})
    statuses = dict(application.items.values_list("item__code", "status"))
    failed = {code for code, status in statuses.items() if status == ApplicationItem.Status.FAILED}
    assert failed == {"vaccination", "community_residence", "utility_bills"}, statuses
    assert "模糊" in _item(application, "vaccination").reason
    assert "王小红" in _item(application, "community_residence").reason
    assert "3个月" in _item(application, "utility_bills").reason or "3" in _item(application, "utility_bills").reason
    assert all(status == ApplicationItem.Status.PASSED for code, status in statuses.items() if code not in failed), (
        statuses
    )

    case = application_to_case(actor=_clerk(application), application_id=application.pk)
    application_commitment_sign(user=parent, application_id=application.pk)
    case = application_accept_with_missing(actor=_clerk(application), application_id=application.pk)
    notice = Notice.objects.get(application=application)
    assert {entry["code"] for entry in notice.items} == {"vaccination", "community_residence", "utility_bills"}
    assert notice.pdf_name and notice.deadline == case.supplement_due_on
    assert case.status == Case.Status.AWAITING_SUPPLEMENT
    assert set(case.missing_items) == {"预防接种记录", "社区居住证明", "最近3个月水电缴费单"}


def _clerk(application):
    from tests.factories import UserFactory

    clerk = getattr(application, "_clerk", None)
    if clerk is None:
        from common.roles import Role

        clerk = UserFactory(username="window_clerk", real_name="窗口民警", role=Role.CLERK, station=application.station)
        application._clerk = clerk
    return clerk


@pytest.fixture
def accepted(application, parent, east_child, ocr_says):
    _upload_all(parent, application, {**_good_pages(ocr_says, parent, east_child), **_three_bad_pages(ocr_says)})
    application_to_case(actor=_clerk(application), application_id=application.pk)
    application_commitment_sign(user=parent, application_id=application.pk)
    application_accept_with_missing(actor=_clerk(application), application_id=application.pk)
    application.refresh_from_db()
    return application


def test_it_lets_the_case_proceed_when_the_supplements_pass_online(accepted, parent, ocr_says):
    _upload(parent, accepted, "vaccination", ocr_says(["预防接种证", "姓名：张小明"]))
    _upload(parent, accepted, "utility_bills", ocr_says(["国网电费缴费凭证", f"缴费日期：{recent(20)}"]))
    accepted.refresh_from_db()
    assert accepted.status == Application.Status.AWAITING_SUPPLEMENT, "one item still owed"
    _upload(
        parent,
        accepted,
        "community_residence",
        ocr_says(["居住证明", "姓名：张小明", "青山社区居民委员会", f"日期：{recent(3)}"], seal=True),
    )
    accepted.refresh_from_db()
    assert accepted.status == Application.Status.PROCEEDING
    assert accepted.case.status == Case.Status.RECEIVED and accepted.case.missing_items == []
    last = accepted.case.transitions.last()
    assert last.actor is None and last.from_status == Case.Status.AWAITING_SUPPLEMENT
    from documents.selectors import station_counts

    counts = station_counts(user=_clerk(accepted))
    assert counts["supplements_online"] == 1 and counts["supplements_at_window"] == 0
    assert counts["trips_per_case"] == 1.0, "one trip: the visit that received the case"


def test_it_lapses_and_tells_the_parent(accepted, caplog):
    lapsed = case_lapse_overdue(today=dt.date.today() + dt.timedelta(days=30))
    assert accepted.case.number in lapsed
    with caplog.at_level("INFO", logger="hukou.notifications"):
        assert reminders_send()["lapsed"] == 1
        assert reminders_send()["lapsed"] == 0, "told once"
    accepted.refresh_from_db()
    assert accepted.status == Application.Status.LAPSED
    assert Reminder.objects.filter(application=accepted, kind="lapsed").count() == 1
    assert any(
        "已终止" in record.getMessage() or accepted.case.number in record.getMessage() for record in caplog.records
    )


def test_the_guard_holds_the_case_while_a_core_item_has_not_passed(application, parent, east_child, ocr_says):
    pages = _good_pages(ocr_says, parent, east_child)
    pages["purchase_invoice"] = ocr_says(["发票"], blurred=True)
    _upload_all(parent, application, pages)
    case = application_to_case(actor=_clerk(application), application_id=application.pk)
    with pytest.raises(ValidationError) as held:
        case_complete(actor=_clerk(application), case_id=case.pk)
    assert held.value.code == "held"
    with pytest.raises(ValidationError) as refused:
        application_accept_with_missing(actor=_clerk(application), application_id=application.pk)
    assert refused.value.code == "core_missing"


def test_accept_with_missing_needs_the_commitment(application, parent, east_child, ocr_says):
    _upload_all(parent, application, {**_good_pages(ocr_says, parent, east_child), **_three_bad_pages(ocr_says)})
    application_to_case(actor=_clerk(application), application_id=application.pk)
    with pytest.raises(ValidationError) as refused:
        application_accept_with_missing(actor=_clerk(application), application_id=application.pk)
    assert refused.value.code == "no_commitment"
    assert not Notice.objects.exists()


def test_an_override_needs_a_reason_and_is_recorded(application, parent, ocr_says, east_child):
    upload = _upload(parent, application, "utility_bills", ocr_says(["电费缴费凭证", f"{recent(200)}"]))
    clerk = _clerk(application)
    with pytest.raises(ValidationError):
        verdict_override(actor=clerk, upload_id=upload.pk, audit_point_code="A07", result="pass", reason=" ")
    verdict_override(actor=clerk, upload_id=upload.pk, audit_point_code="A07", result="pass", reason="原件核对为近期")
    item = _item(application, "utility_bills")
    assert item.status == ApplicationItem.Status.PASSED and item.overridden
    override = Verdict.objects.get(source=Verdict.Source.CLERK)
    assert override.decided_by == clerk and override.reason == "原件核对为近期"


def test_a_clerk_of_another_station_cannot_override(application, parent, ocr_says, clerk_west):
    upload = _upload(parent, application, "utility_bills", ocr_says(["电费缴费凭证", f"{recent(200)}"]))
    with pytest.raises(ValidationError) as refused:
        verdict_override(actor=clerk_west, upload_id=upload.pk, audit_point_code="A07", result="pass", reason="x")
    assert refused.value.code == "not_found"


def test_asking_beyond_the_notice_needs_a_reason_and_is_counted(accepted):
    clerk = _clerk(accepted)
    extra = accepted.checklist.items.get(code="court_judgment")
    with pytest.raises(ValidationError) as refused:
        notice_request_beyond(actor=clerk, application_id=accepted.pk, item_id=extra.pk, reason="")
    assert refused.value.code == "reason_required"
    named = accepted.checklist.items.get(code="vaccination")
    with pytest.raises(ValidationError):
        notice_request_beyond(actor=clerk, application_id=accepted.pk, item_id=named.pk, reason="再要一次")
    notice_request_beyond(actor=clerk, application_id=accepted.pk, item_id=extra.pk, reason="父母离异，需核对监护权")
    assert NoticeOverride.objects.visible_to(clerk).count() == 1
    assert accepted.items.filter(item__code="court_judgment").exists()


def test_the_same_file_twice_is_refused_and_nothing_is_left(application, parent, ocr_says, private_root):
    data = ocr_says(["预防接种证"])
    _upload(parent, application, "vaccination", data)
    files_before = sorted(p.name for p in private_root.rglob("*") if p.is_file())
    with pytest.raises(ValidationError) as refused:
        _upload(parent, application, "child_photo", data)
    assert refused.value.code == "duplicate"
    assert sorted(p.name for p in private_root.rglob("*") if p.is_file()) == files_before
    assert Upload.objects.count() == 1


def test_the_seed_has_28_audit_points_and_every_business_type(db):
    from documents.models import AuditPoint, Checklist
    from hukou.models import BusinessType

    assert AuditPoint.objects.count() == 28
    covered = set(Checklist.objects.values_list("business_type__code", flat=True))
    assert set(BusinessType.objects.values_list("code", flat=True)) <= covered
    school = Checklist.objects.get(business_type__code="school_certificate")
    assert school.questions.count() >= 8
    call_command("check")


def test_a_reason_found_by_two_audit_points_is_said_once():
    from documents.services.prereview import item_status_of

    status, reason = item_status_of(
        [("legible", "fail", "照片模糊"), ("legible", "fail", "照片模糊"), ("manual", "needs_person", "x")]
    )
    assert status == ApplicationItem.Status.FAILED and reason == "照片模糊"
