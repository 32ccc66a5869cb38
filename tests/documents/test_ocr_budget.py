"""OCR's cost budget: never more ONNX threads than cores across a worker's processes, and no OCR
at all for an item whose audit points read no text (a child's photo is only checked for quality)."""

import pytest

from documents import ocr
from documents.services.applications import application_answer, application_start
from documents.services.uploads import upload_receive
from documents.tasks import _ocr_threads_for_this_worker
from tests import upload_samples as samples


@pytest.fixture
def worker_processes(monkeypatch):
    monkeypatch.setattr(ocr, "_worker_processes", 1)
    monkeypatch.setattr(ocr.os, "cpu_count", lambda: 2)


@pytest.mark.parametrize(("setting", "processes", "threads"), [(2, 1, 2), (8, 1, 2), (2, 2, 1), (1, 1, 1), (4, 3, 1)])
def test_a_worker_never_runs_more_ocr_threads_than_cores(settings, worker_processes, setting, processes, threads):
    settings.DOCUMENTS_OCR_THREADS = setting
    ocr.ocr_worker_started(processes=processes)
    assert ocr.ocr_threads() == threads
    assert ocr.ocr_threads() * min(processes, 2) <= 2


def test_a_celery_worker_records_its_concurrency_at_start(settings, worker_processes):
    settings.DOCUMENTS_OCR_THREADS = 2

    class Worker:
        concurrency = 2

    _ocr_threads_for_this_worker(sender=Worker())
    assert ocr.ocr_threads() == 1


@pytest.mark.django_db
def test_an_item_whose_points_read_no_text_is_not_ocrd(
    parent, east_child, monkeypatch, django_capture_on_commit_callbacks
):
    read = []
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: read.append(image) or "照片")
    started = application_start(user=parent, business_type_code="school_certificate", child_id=east_child.pk)
    application = application_answer(user=parent, application_id=started.pk, answers={"first_enrolment": True})
    photo, booklet = application.items.get(item__code="child_photo"), application.items.get(item__code="hukou_booklet")
    with django_capture_on_commit_callbacks(execute=True):
        upload_receive(user=parent, application_item_id=photo.pk, data=samples.good_jpeg(), filename="p.jpg")
    photo.refresh_from_db()
    assert photo.status == "passed" and read == []
    with django_capture_on_commit_callbacks(execute=True):
        data = samples.encode(samples.document_image(lines=["常住人口登记卡"], size=(1000, 1400)), "JPEG")
        upload_receive(user=parent, application_item_id=booklet.pk, data=data, filename="b.jpg")
    assert len(read) == 1  # the booklet's points read names and numbers: OCR'd
