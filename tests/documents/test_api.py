"""The materials pre-review API (/api/v1/documents/): guide reads, checklist from answers, the
parent's applications, uploads through the same pipeline as the page, verdicts and the notice.
Permissions: another parent → 404, another station's clerk → 404, other roles → 403. Bad
input → a clear 400 in the one error shape, nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import Application, Upload
from documents.services.applications import application_answer, application_start
from documents.services.notices import notice_issue
from hukou.models import AccessLog
from tests import upload_samples as samples
from tests.documents.visit_fixtures import ANSWERS, SCHOOL

API = "/api/v1/documents"


@pytest.fixture
def mine(parent, east_child):
    started = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)
    return application_answer(user=parent, application_id=started.pk, answers=ANSWERS)


def _error(response, status):
    body = response.json()
    assert response.status_code == status, body
    assert set(body) == {"code", "message", "fields"}
    return body


# --- guide and checklist ------------------------------------------------------------------


def test_business_types_and_their_guide_are_public(client, db):
    listed = client.get(f"{API}/business-types/").json()
    school = next(row for row in listed if row["code"] == SCHOOL)
    assert "own_property" in [q["code"] for q in school["questions"]]

    guide = client.get(f"{API}/business-types/{SCHOOL}/").json()
    items = {item["code"]: item for item in guide["items"]}
    assert items["hukou_booklet"]["is_core"] is True and items["utility_bills"]["validity_months"] == 3
    assert _error(client.get(f"{API}/business-types/nope/"), 404)["code"] == "not_found"


def test_the_checklist_is_computed_from_the_answers_and_nothing_is_stored(client, db):
    off_plan = client.post(
        f"{API}/business-types/{SCHOOL}/checklist/", {"answers": ANSWERS}, content_type="application/json"
    )
    renting = client.post(
        f"{API}/business-types/{SCHOOL}/checklist/",
        {"answers": {"own_property": False}},
        content_type="application/json",
    )

    codes = {item["code"] for item in off_plan.json()["items"]}
    assert {"purchase_contract", "utility_bills", "birth_medical"} <= codes
    assert "purchase_contract" not in {item["code"] for item in renting.json()["items"]}
    assert renting.json()["answers"]["own_property"] is False
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"nonsense": True}, "answers"), ({"own_property": "perhaps"}, "answers"), (["own_property"], "answers")],
)
def test_bad_answers_get_a_clear_400(client, db, answers, field):
    response = client.post(
        f"{API}/business-types/{SCHOOL}/checklist/", {"answers": answers}, content_type="application/json"
    )

    body = _error(response, 400)
    assert body["code"] == "invalid" and field in body["fields"]


# --- applications ------------------------------------------------------------------------------


def test_a_parent_creates_an_application_with_its_answers_in_one_call(login, parent, east_child):
    response = login(parent).post(
        f"{API}/applications/new/",
        {"business_type": SCHOOL, "child": east_child.pk, "answers": ANSWERS},
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    application = Application.objects.get()
    assert body["id"] == application.pk and body["child_name"] == east_child.name
    assert {item["code"] for item in body["items"]} == set(application.items.values_list("item__code", flat=True))
    assert all(item["status"] == "missing" for item in body["items"])


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"business_type": SCHOOL, "child": 999999}, "不是您的子女"),
        ({"business_type": SCHOOL, "answers": {"nonsense": True}}, ""),
        ({"business_type": "nope", "station": 1}, ""),
        ({"child": 1}, ""),
    ],
)
def test_a_refused_create_writes_nothing(login, parent, east_child, payload, code):
    if "answers" in payload:
        payload = {**payload, "child": east_child.pk}

    body = _error(login(parent).post(f"{API}/applications/new/", payload, content_type="application/json"), 400)

    assert code in body["message"] and body["message"]
    assert not Application.objects.exists()


def test_applications_are_the_parents_own_and_their_stations(login, parent, other_parent, clerk_east, clerk_west, mine):
    assert [row["id"] for row in login(parent).get(f"{API}/applications/").json()["results"]] == [mine.pk]
    assert login(other_parent).get(f"{API}/applications/").json()["results"] == []
    assert [row["id"] for row in login(clerk_east).get(f"{API}/applications/").json()["results"]] == [mine.pk]
    assert login(clerk_west).get(f"{API}/applications/").json()["results"] == []


def test_another_parent_or_another_stations_clerk_gets_404(login, other_parent, clerk_west, mine):
    for user in (other_parent, clerk_west):
        client = login(user)
        for path in ("", "notice/"):
            assert _error(client.get(f"{API}/applications/{mine.pk}/{path}"), 404)["code"] == "not_found"


def test_the_stations_clerk_reads_it_masked_and_the_reading_is_logged(login, aux_east, mine):
    body = login(aux_east).get(f"{API}/applications/{mine.pk}/").json()

    assert "*" in body["applicant_id_number"]
    assert AccessLog.objects.filter(target=f"application:{mine.pk}", user=aux_east).exists()


def test_other_roles_and_anonymous_callers_are_refused(client, login, school_staff, mine):
    assert client.get(f"{API}/applications/").status_code in (401, 403)
    assert _error(login(school_staff).get(f"{API}/applications/{mine.pk}/"), 403)["code"] == "permission_denied"


def test_clerks_cannot_write_through_the_parents_endpoints(login, clerk_east, mine):
    client = login(clerk_east)

    assert (
        client.post(
            f"{API}/applications/{mine.pk}/answers/", {"answers": {}}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        client.post(f"{API}/applications/new/", {"business_type": SCHOOL}, content_type="application/json").status_code
        == 403
    )


# --- uploads, verdicts, notice ---------------------------------------------------------------


def _upload(client, application, code, data, name="photo.jpg"):
    item = application.items.get(item__code=code)
    return client.post(
        f"{API}/applications/{application.pk}/items/{item.pk}/upload/", {"file": SimpleUploadedFile(name, data)}
    )


def test_an_upload_is_checked_and_its_verdicts_are_read_back(
    login, parent, east_child, mine, ocr_says, django_capture_on_commit_callbacks
):
    page = ocr_says(["常住人口登记卡", f"姓名：{east_child.name}", f"公民身份号码：{east_child.id_number}"])
    client = login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, mine, "hukou_booklet", page)

    assert response.status_code == 201, response.json()
    detail = client.get(f"{API}/applications/{mine.pk}/").json()
    item = next(row for row in detail["items"] if row["code"] == "hukou_booklet")
    assert item["status"] in {"passed", "needs_person"}
    assert item["current_upload"]["state"] == "done"
    assert {v["audit_point"] for v in item["current_upload"]["verdicts"]}


@pytest.mark.parametrize(
    ("label", "filename", "factory", "code"), samples.ATTACKS[:8], ids=[a[0] for a in samples.ATTACKS[:8]]
)
def test_a_bad_file_gets_a_400_with_its_code_and_leaves_nothing(
    login, parent, mine, private_root, label, filename, factory, code
):
    body = _error(_upload(login(parent), mine, "hukou_booklet", factory(), name=filename), 400)

    assert body["code"] == code and body["fields"]["file"]
    assert not Upload.objects.exists()
    assert not private_root.exists() or not [p for p in private_root.rglob("*") if p.is_file()]
    assert mine.items.get(item__code="hukou_booklet").status == "missing"


def test_another_parent_cannot_upload_and_a_foreign_item_is_404(login, parent, other_parent, east_child, mine):
    assert _error(_upload(login(other_parent), mine, "hukou_booklet", samples.good_jpeg()), 404)
    second = application_start(user=parent, business_type_code=SCHOOL, child_id=east_child.pk)
    foreign_item = mine.items.first()
    response = login(parent).post(
        f"{API}/applications/{second.pk}/items/{foreign_item.pk}/upload/",
        {"file": SimpleUploadedFile("a.jpg", samples.good_jpeg())},
    )
    assert _error(response, 404)
    assert not Upload.objects.exists()


def test_the_notice_is_read_once_issued(login, parent, clerk_east, mine):
    assert _error(login(parent).get(f"{API}/applications/{mine.pk}/notice/"), 404)
    notice_issue(application_id=mine.pk, actor=parent)

    body = login(clerk_east).get(f"{API}/applications/{mine.pk}/notice/").json()

    assert body["version"] == 1 and {"hukou_booklet", "utility_bills"} <= {row["code"] for row in body["items"]}


# --- tie to a booking ------------------------------------------------------------------------


def test_the_api_ties_an_application_to_the_parents_booking_only(login, parent, other_parent, mine, child_booking):
    other = login(other_parent).post(
        f"{API}/applications/{mine.pk}/booking/", {"booking": child_booking.code}, content_type="application/json"
    )
    assert _error(other, 404)
    assert Application.objects.get(pk=mine.pk).booking is None

    response = login(parent).post(
        f"{API}/applications/{mine.pk}/booking/", {"booking": child_booking.code}, content_type="application/json"
    )

    assert response.status_code == 200 and response.json()["booking"] == child_booking.code
