"""Pages and files: public guide, the parent's phone flow over HTTP, the window, safe serving."""

import pytest
from django.urls import reverse

from documents.models import Application, Upload
from hukou.models import AccessLog
from tests import upload_samples as samples


def test_the_guide_is_public_and_narrows_by_answers(client, db):
    index = client.get(reverse("documents:guide_index"))
    assert index.status_code == 200 and "入学" in index.content.decode()
    url = reverse("documents:guide_detail", args=["school_certificate"])
    everything = client.get(url).content.decode()
    assert "法院判决书" in everything and "购房发票" in everything
    narrowed = client.get(url, {"asked": "1", "q_own_property": "yes"}).content.decode()
    assert "不动产权证书" in narrowed and "购房发票" in narrowed and "法院判决书" not in narrowed


@pytest.fixture
def started(login, parent, east_child):
    client = login(parent)
    response = client.post(
        reverse("documents:application_new"), {"business": "school_certificate", "child": east_child.pk}
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("documents:questions", args=[application.pk])
    client.post(reverse("documents:questions", args=[application.pk]), {"q_own_property": "no"})
    return client, application


def _item(application, code):
    return application.items.get(item__code=code)


@pytest.mark.parametrize(
    ("label", "filename", "factory", "code"), samples.ATTACKS[:9], ids=[a[0] for a in samples.ATTACKS[:9]]
)
def test_an_attack_upload_is_refused_in_chinese_and_leaves_nothing(
    started, private_root, label, filename, factory, code
):
    client, application = started
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = _item(application, "hukou_booklet")
    url = reverse("documents:item_upload", args=[application.pk, item.pk])
    response = client.post(url, {"file": SimpleUploadedFile(filename, factory())}, follow=True)
    page = response.content.decode()
    assert "errors" in page or "error" in page
    assert not Upload.objects.exists()
    assert not [p for p in private_root.rglob("*") if p.is_file()] if private_root.exists() else True
    item.refresh_from_db()
    assert item.status == "missing"


def test_the_parent_uploads_and_sees_the_verdict(started, django_capture_on_commit_callbacks, monkeypatch):
    client, application = started
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "常住人口登记卡\n姓名：张小明")
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = _item(application, "hukou_booklet")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents:item_upload", args=[application.pk, item.pk]),
            {"file": SimpleUploadedFile("IMG_1.JPG", samples.good_jpeg())},
        )
    status = client.get(reverse("documents:application_status", args=[application.pk])).json()
    mine = next(row for row in status["items"] if row["id"] == item.pk)
    assert mine["status"] in {"passed", "needs_person"} and mine["reason"]
    assert status["checking"] is False


def test_files_are_served_with_safe_headers_and_access_logged(started, django_capture_on_commit_callbacks, monkeypatch):
    client, application = started
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "")
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = _item(application, "hukou_booklet")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("documents:item_upload", args=[application.pk, item.pk]),
            {"file": SimpleUploadedFile("a.jpg", samples.jpeg_with_exif())},
        )
    upload = Upload.objects.get()
    response = client.get(reverse("documents:upload_file", args=[upload.pk, "file"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert (
        "default-src 'none'" in response["Content-Security-Policy"] and "sandbox" in response["Content-Security-Policy"]
    )
    assert b"PhoneMaker" not in b"".join(response.streaming_content)
    assert AccessLog.objects.filter(target=f"upload:{upload.pk}").exists()


def test_nobody_else_sees_the_files(
    started, django_capture_on_commit_callbacks, monkeypatch, login, clerk_west, clerk_east, client
):
    client_parent, application = started
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "")
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = _item(application, "hukou_booklet")
    with django_capture_on_commit_callbacks(execute=True):
        client_parent.post(
            reverse("documents:item_upload", args=[application.pk, item.pk]),
            {"file": SimpleUploadedFile("a.jpg", samples.good_jpeg())},
        )
    upload = Upload.objects.get()
    url = reverse("documents:upload_file", args=[upload.pk, "file"])
    client_parent.logout()
    assert client.get(url).status_code == 302, "anonymous: to the login page"
    assert login(clerk_west).get(url).status_code == 404
    assert login(clerk_west).get(reverse("documents:review", args=[application.pk])).status_code == 404
    assert login(clerk_east).get(url).status_code == 200
    assert login(clerk_east).get(reverse("documents:review", args=[application.pk])).status_code == 200


def test_a_parent_cannot_open_another_parents_application(started, login, db):
    from common.roles import Role
    from tests.factories import UserFactory

    _client, application = started
    other = UserFactory(username="other_parent", role=Role.PARENT)
    assert login(other).get(reverse("documents:application", args=[application.pk])).status_code == 404
    assert login(other).get(reverse("documents:application_status", args=[application.pk])).status_code == 404


def test_pages_show_chinese(started):
    client, application = started
    page = client.get(reverse("documents:application", args=[application.pk])).content.decode()
    assert "一次性告知" in page and "承诺书" in page


def test_the_review_and_list_pages_do_not_grow_queries_with_items(
    started,
    login,
    clerk_east,
    admin_east,
    django_assert_max_num_queries,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    client, application = started
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "")
    from django.core.files.uploadedfile import SimpleUploadedFile

    for code in ("hukou_booklet", "guardian_id", "rental_record"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("documents:item_upload", args=[application.pk, _item(application, code).pk]),
                {"file": SimpleUploadedFile(f"{code}.jpg", samples.good_jpeg(lines=(code,)))},
            )
    with django_assert_max_num_queries(14):
        assert client.get(reverse("documents:application", args=[application.pk])).status_code == 200
    clerk = login(clerk_east)
    with django_assert_max_num_queries(16):
        assert clerk.get(reverse("documents:review", args=[application.pk])).status_code == 200
    admin = login(admin_east)
    with django_assert_max_num_queries(14):
        page = admin.get(reverse("documents:station_list"))
    assert page.status_code == 200 and "线上补正完成数" in page.content.decode()
