"""The hostile-input corpus (issue #11) through the apps that came after it: appointments (the
booking API and slots, the proxy booking form, the kiosk check-in) and documents (application
answers, uploads, the clerk's override and beyond-the-notice reasons). Each answers a clear 4xx or
form error in Chinese, and nothing is written."""

import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appointments.models import Booking, Ticket
from common.uploads import UploadRejected, upload_process
from documents.models import Application, NoticeOverride, Upload, Verdict
from tests import upload_samples as samples
from tests.appointments.fixtures import id_number
from tests.appointments.queue_helpers import booked_today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limit")]

RTL, ZERO_WIDTH, HUGE = "\u202e", "\u200b", "x" * (10 * 1024 * 1024 - 4096)
VALID_ID = id_number(7)
FULL_WIDTH_ID = VALID_ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
SUPERSCRIPT_ID = VALID_ID[:-2] + "²" + VALID_ID[-1]


def _counts():
    return (Booking.objects.count(), Ticket.objects.count(), Upload.objects.count(), Verdict.objects.count(),
            NoticeOverride.objects.count())  # fmt: skip


# --- appointments: the booking API and the slot list ------------------------------------------


@pytest.mark.parametrize(
    "body",
    [{"slot": "abc"}, {"slot": [1]}, {"slot": {"a": 1}}, {"slot": 10**40}, {"slot": "¹"}, {"slot": "\u0000"},
     {"business_type": None}, {"person": "²"}, {"person": True}, {"slot": HUGE}],
    ids=["text", "list", "object", "huge_number", "superscript", "nul", "null", "superscript_person", "bool",
         "10MB"],
)  # fmt: skip
def test_the_booking_api_refuses_wrong_json_types_with_a_400(login, parent, nine_oclock, birth, body):
    before = _counts()
    data = {"slot": nine_oclock.pk, "business_type": birth.pk, **body}

    answer = login(parent).post("/api/v1/appointments/bookings/new/", json.dumps(data), content_type="application/json")

    assert answer.status_code == 400, answer.content[:300]
    assert answer.json()["code"] in {"invalid", "parse_error"}
    assert _counts() == before


@pytest.mark.parametrize("raw", ["[" * 100_000, '{"slot": 1', "\u0000", ""])
def test_the_booking_api_refuses_broken_bodies_with_a_400(login, parent, nine_oclock, raw):
    answer = login(parent).post("/api/v1/appointments/bookings/new/", raw, content_type="application/json")

    assert answer.status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.parametrize("station", ["¹", "１", "9" * 40, "-1", "abc", ""])
def test_the_slot_list_refuses_odd_numbers_with_a_400(login, parent, east, birth, station):
    answer = login(parent).get("/api/v1/appointments/slots/", {"station": station, "business_type": birth.pk})

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"


# --- appointments: the proxy booking form ------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("applicant_id_number", SUPERSCRIPT_ID, "身份号码"),
     ("applicant_id_number", VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"), "身份号码"),
     ("applicant_name", f"王{RTL}五", "姓名"),
     ("applicant_name", f"王{ZERO_WIDTH}五", "姓名"),
     ("applicant_name", "王五😀", "姓名"),
     ("applicant_name", "=HYPERLINK(\"http://evil\")", "姓名"),
     ("applicant_name", "王\u0000五", "空字符"),
     ("applicant_name", HUGE, "64"),
     ("applicant_phone", "abc-not-a-phone", "电话"),
     ("slot", "¹", "整数")],
    ids=["superscript_id", "check_digit", "rtl", "zero_width", "emoji", "formula", "nul", "10MB", "phone",
         "slot"],
)  # fmt: skip
def test_the_proxy_booking_form_refuses_hostile_input(login, clerk_east, nine_oclock, birth, field, value, message):
    data = {"business_type": birth.pk, "slot": nine_oclock.pk, "applicant_name": "王五",
            "applicant_id_number": VALID_ID, "applicant_phone": "13900000001", field: value}  # fmt: skip

    answer = login(clerk_east).post(reverse("appointments:proxy_booking"), data)

    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Booking.objects.exists()


def test_the_proxy_booking_form_takes_full_width_digits_as_the_same_number(login, clerk_east, nine_oclock, birth):
    data = {"business_type": birth.pk, "slot": nine_oclock.pk, "applicant_name": "阿依古丽·买买提",
            "applicant_id_number": FULL_WIDTH_ID, "applicant_phone": "139 0000 0001"}  # fmt: skip

    assert login(clerk_east).post(reverse("appointments:proxy_booking"), data).status_code == 200

    booking = Booking.objects.get()
    assert (booking.applicant_id_number, booking.applicant_phone) == (VALID_ID, "13900000001")


# --- appointments: the kiosk check-in ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("id_number", SUPERSCRIPT_ID, "未找到"), ("id_number", "\u0000", "空字符"), ("id_number", HUGE, "20"),
     ("code", "AB\u0000CD", "空字符"), ("code", HUGE, "12"), ("code", f"AB{RTL}CD", "未找到")],
    ids=["superscript", "nul_id", "10MB_id", "nul_code", "10MB_code", "rtl_code"],
)  # fmt: skip
def test_the_kiosk_check_in_refuses_hostile_numbers_and_codes(login, clerk_east, birth, field, value, message):
    booked_today(clerk_east, birth)
    before = _counts()

    answer = login(clerk_east).post(reverse("appointments:kiosk"), {f"c-{field}": value})

    assert answer.status_code in {200, 400}
    assert "errorlist" in answer.content.decode() or "errors" in answer.content.decode()
    assert message in answer.content.decode()
    assert _counts() == before
    assert Booking.objects.get().status == Booking.Status.BOOKED


def test_the_kiosk_finds_a_booking_by_a_full_width_id_number(login, clerk_east, birth):
    booking = booked_today(clerk_east, birth)
    full_width = booking.applicant_id_number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

    answer = login(clerk_east).post(reverse("appointments:kiosk"), {"c-id_number": full_width})

    assert answer.status_code == 302
    assert Ticket.objects.get().booking == booking


# --- documents -----------------------------------------------------------------------------------


@pytest.fixture
def started(login, parent, east_child):
    client = login(parent)
    client.post(reverse("documents:application_new"), {"business": "school_certificate", "child": east_child.pk})
    application = Application.objects.get()
    client.post(reverse("documents:questions", args=[application.pk]), {"q_own_property": "no"})
    application.refresh_from_db()
    return client, application


@pytest.mark.parametrize("value", ["\u0000", "yes\u202e", HUGE[:100_000], "是"], ids=["nul", "rtl", "100k", "other"])
def test_application_answers_other_than_yes_or_no_are_refused(started, value):
    client, application = started
    answered_at, answers = application.answered_at, application.answers

    answer = client.post(reverse("documents:questions", args=[application.pk]), {"q_own_property": value}, follow=True)

    assert "请逐一回答" in answer.content.decode() or "是或否" in answer.content.decode()
    application.refresh_from_db()
    assert application.answered_at == answered_at and application.answers == answers


def test_a_public_guide_with_a_hostile_answer_is_a_400(client, db):
    url = reverse("documents:guide_detail", args=["school_certificate"])

    assert client.get(url, {"asked": "1", "q_own_property": "yes\u202e"}).status_code == 400


@pytest.mark.parametrize(
    "filename", [f"photo{RTL}gpj.jpg", f"pho{ZERO_WIDTH}to.jpg", "photo\u0007.jpg"], ids=["rtl", "zero_width", "bell"]
)
def test_an_upload_never_keeps_a_hostile_file_name(started, filename, django_capture_on_commit_callbacks, monkeypatch):
    """Django's multipart parser drops control and format characters from the name; what is
    kept (shown to the clerk, sent back in Content-Disposition) has none."""
    client, application = started
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "")
    item = application.items.get(item__code="hukou_booklet")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents:item_upload", args=[application.pk, item.pk]),
            {"file": SimpleUploadedFile(filename, samples.good_jpeg())},
        )

    for name in Upload.objects.values_list("original_name", flat=True):
        assert not any(unicodedata.category(char) in {"Cc", "Cf"} for char in name)


@pytest.mark.parametrize(
    "filename", [f"photo{RTL}gpj.jpg", f"pho{ZERO_WIDTH}to.jpg", "a\u0000.jpg", "x" * 300 + ".jpg"]
)
def test_the_shared_upload_pipeline_refuses_a_hostile_file_name(filename):
    """Paths that do not come through Django's parser (a service called with a name) get the
    same refusal as any other unsafe upload."""
    with pytest.raises(UploadRejected) as refused:
        upload_process(data=samples.good_jpeg(), filename=filename)

    assert refused.value.code == "bad_filename"
    assert "文件名" in str(refused.value.message)


@pytest.fixture
def uploaded(started, django_capture_on_commit_callbacks, monkeypatch):
    client, application = started
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "")
    item = application.items.get(item__code="hukou_booklet")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents:item_upload", args=[application.pk, item.pk]),
            {"file": SimpleUploadedFile("a.jpg", samples.good_jpeg())},
        )
    return application, Upload.objects.get()


@pytest.mark.parametrize(
    "reason", [f"核对{RTL}原件", f"核对{ZERO_WIDTH}原件", "=HYPERLINK(1)", HUGE[:1000]],
    ids=["rtl", "zero_width", "formula", "long"],
)  # fmt: skip
def test_a_clerks_override_reason_with_hostile_text_is_refused(login, clerk_east, uploaded, reason):
    application, upload = uploaded
    before = Verdict.objects.count()
    point = upload.verdicts.first().audit_point.code

    answer = login(clerk_east).post(
        reverse("documents:override", args=[application.pk]),
        {"upload": upload.pk, "point": point, "result": "pass", "reason": reason},
        follow=True,
    )

    assert answer.status_code == 200
    assert "errors" in answer.content.decode() or "error" in answer.content.decode()
    assert Verdict.objects.count() == before
