"""Fixtures of the materials pre-review tests.

Flow tests replace the OCR engine with ``ocr_says``: each test document is rendered with its text
AND registered by image width, so the checks see exactly what the page shows. The real engine is
measured on its own in test_ocr_accuracy.py and used end to end by the browser journey.
"""

import datetime as dt

import pytest

from tests import upload_samples as samples
from tests.appointments.fixtures import birth  # noqa: F401  (fixture)
from tests.documents.visit_fixtures import child_booking, other_parent, school  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def eager_celery():
    """The pre-review task runs in-process (with REDIS_URL set, Celery would otherwise queue it
    for a worker that these tests do not start)."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    return settings.PRIVATE_UPLOAD_ROOT


@pytest.fixture
def private_root(_private_root):
    return _private_root


@pytest.fixture
def ocr_says(monkeypatch):
    """``ocr_says(lines, **options) -> jpeg bytes``: renders a document and makes the fake OCR
    read exactly those lines from it."""
    texts = {}

    def fake_ocr(image):
        return texts.get(image.size[0], "")

    monkeypatch.setattr("documents.services.prereview.ocr_text", fake_ocr)
    counter = iter(range(900, 1900, 4))

    def make(lines, *, blurred=False, seal=False):
        width = next(counter)
        image = samples.document_image(lines=lines, size=(width, 1200), seal=seal)
        texts[width] = "\n".join(lines)
        if blurred:
            from PIL import ImageFilter

            image = image.filter(ImageFilter.GaussianBlur(8))
        return samples.encode(image, "JPEG", quality=88)

    return make


def recent(days_ago=10):
    day = dt.date.today() - dt.timedelta(days=days_ago)
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"
