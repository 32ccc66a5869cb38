"""Real threads on PostgreSQL, each with its own database connection: two workers never both
pre-review one upload, a worker whose claim went stale cannot overwrite its successor's verdicts,
and two simultaneous uploads for one item leave exactly one current file (the same file twice:
one stored, the other refused with nothing left on disk)."""

import threading
import time

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from documents.models import Upload, Verdict
from documents.seed import seed_load
from documents.services.applications import application_answer, application_start
from documents.services.prereview import CLAIM_LEASE, upload_prereview
from documents.services.uploads import upload_receive
from tests import upload_samples as samples
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]


@pytest.fixture
def application(parent, east_child, monkeypatch):
    seed_load(apps)
    # Uploads stay queued: the workers below are started by the tests, not by the commit hook.
    monkeypatch.setattr("documents.services.uploads._kick", lambda upload_id: None)
    started = application_start(user=parent, business_type_code="school_certificate", child_id=east_child.pk)
    return application_answer(
        user=parent,
        application_id=started.pk,
        answers={"first_enrolment": True, "own_property": True, "property_delivered": False},
    )


def _jpeg(*lines, width=1200):
    return samples.encode(samples.document_image(lines=lines, size=(width, 1600)), "JPEG", quality=88)


def _in_threads(*targets):
    """Runs each target in its own thread (own connection), all released at once; returns
    their results or raised exceptions, in order."""
    barrier = threading.Barrier(len(targets))
    results = [None] * len(targets)

    def run(index, target):
        try:
            barrier.wait(timeout=10)
            results[index] = target()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, target)) for i, target in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_workers_never_pre_review_the_same_upload_twice(application, parent, east_child, monkeypatch):
    item = application.items.get(item__code="hukou_booklet")
    data = _jpeg("常住人口登记卡", f"姓名：{east_child.name}")
    upload = upload_receive(user=parent, application_item_id=item.pk, data=data, filename="a.jpg")
    reads = []

    def slow_ocr(image):
        reads.append(threading.get_ident())
        time.sleep(0.5)  # long enough for the other worker to try while this one holds the claim
        return f"常住人口登记卡\n姓名：{east_child.name}\n公民身份号码：{east_child.id_number}"

    monkeypatch.setattr("documents.services.prereview.ocr_text", slow_ocr)
    results = _in_threads(*[lambda: upload_prereview(upload_id=upload.pk)] * 2)

    assert results == [None, None]
    assert len(reads) == 1
    upload.refresh_from_db()
    points = item.item.audit_points.filter(is_active=True).count()
    assert (upload.state, upload.attempt) == (Upload.State.DONE, 1)
    assert Verdict.objects.filter(upload=upload).count() == points
    item.refresh_from_db()
    assert item.status == "passed", item.reason


def test_a_worker_whose_claim_went_stale_does_not_overwrite_the_next_ones_verdicts(
    application, parent, east_child, monkeypatch
):
    item = application.items.get(item__code="hukou_booklet")
    upload = upload_receive(user=parent, application_item_id=item.pk, data=_jpeg("户口簿"), filename="a.jpg")
    first_reading, let_first_finish = threading.Event(), threading.Event()

    def ocr(image):
        if not first_reading.is_set():  # the first worker hangs (a stuck or dying process)
            first_reading.set()
            let_first_finish.wait(timeout=30)
            return "户口簿\n姓名：王小红"  # would fail the name check
        return f"常住人口登记卡\n姓名：{east_child.name}\n公民身份号码：{east_child.id_number}"

    monkeypatch.setattr("documents.services.prereview.ocr_text", ocr)
    first = threading.Thread(target=lambda: (upload_prereview(upload_id=upload.pk), connection.close()))
    first.start()
    assert first_reading.wait(timeout=30)
    # The lease runs out while the first worker is stuck; another worker (the sweep) takes over.
    Upload.objects.filter(pk=upload.pk).update(claimed_at=timezone.now() - CLAIM_LEASE * 2)
    second = threading.Thread(target=lambda: (upload_prereview(upload_id=upload.pk), connection.close()))
    second.start()
    second.join(timeout=60)
    let_first_finish.set()
    first.join(timeout=60)

    upload.refresh_from_db()
    item.refresh_from_db()
    assert (upload.state, upload.attempt) == (Upload.State.DONE, 2)
    assert item.status == "passed", item.reason
    assert not Verdict.objects.filter(upload=upload, result="fail").exists()
    assert Verdict.objects.filter(upload=upload).count() == item.item.audit_points.filter(is_active=True).count()


def test_two_simultaneous_uploads_for_one_item_leave_exactly_one_current_file(application, parent, settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    item = application.items.get(item__code="vaccination")
    files = [_jpeg("预防接种证", f"第{i}张", width=1100 + 40 * i) for i in range(2)]
    results = _in_threads(
        *[
            lambda data=data: upload_receive(user=parent, application_item_id=item.pk, data=data, filename="v.jpg")
            for data in files
        ]
    )

    assert all(isinstance(result, Upload) for result in results), results
    assert item.uploads.count() == 2
    assert item.uploads.filter(is_current=True).count() == 1
    item.refresh_from_db()
    assert item.status == "pending"


def test_the_same_file_uploaded_twice_at_once_is_stored_once_and_nothing_is_left(
    application, parent, settings, tmp_path
):
    settings.PRIVATE_UPLOAD_ROOT = root = tmp_path / "private"
    data = _jpeg("预防接种证")
    targets = [
        lambda code=code: upload_receive(
            user=parent, application_item_id=application.items.get(item__code=code).pk, data=data, filename="v.jpg"
        )
        for code in ("vaccination", "vaccination", "child_photo")
    ]
    results = _in_threads(*targets)

    stored = [result for result in results if isinstance(result, Upload)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(stored) == 1 and len(refused) == 2, results
    assert {error.code for error in refused} == {"duplicate"}
    assert all(error.messages == ["该文件已在本申请中上传过。"] for error in refused), refused
    assert Upload.objects.filter(application=application).count() == 1
    kept = stored[0]
    on_disk = sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    assert on_disk == sorted(name for name in (kept.file_name, kept.thumbnail_name, kept.preview_name) if name)
