"""Offline OCR accuracy on synthetic photographed documents (marked ``ocr``: about a minute on an
idle 2-core machine; run with ``pytest -m ocr``).

Each of the 50 documents is rendered with the CJK font, rotated up to ±5°, blurred, darkened and
JPEG-compressed (tests/documents/ocr_samples.py). An ID number counts as read when the exact
18 characters come out of ``id_numbers_found`` (the same extraction the ID-number check uses).
"""

import time

import pytest

from documents.checks import id_numbers_found, names_found
from documents.ocr import ocr_text
from tests.documents.ocr_samples import id_document

SAMPLES = 50


@pytest.mark.ocr
def test_it_reads_at_least_95_percent_of_id_numbers_offline(capsys):
    missed, names_read, started = [], 0, time.monotonic()
    for seed in range(SAMPLES):
        image, number, name = id_document(seed)
        text = ocr_text(image)
        if number not in id_numbers_found(text):
            missed.append((seed, number, [line for line in text.splitlines() if "号码" in line or len(line) > 15]))
        names_read += name in names_found(text)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nOCR: {SAMPLES - len(missed)}/{SAMPLES} ID numbers, {names_read}/{SAMPLES} names, {elapsed:.1f} s")
        for seed, number, lines in missed:
            print(f"  missed seed {seed}: {number} read as {lines}")
    assert (SAMPLES - len(missed)) / SAMPLES >= 0.95, missed


def test_the_ocr_never_uses_more_threads_than_cores(settings):
    import os

    from documents.ocr import ocr_threads

    settings.DOCUMENTS_OCR_THREADS = 64
    assert ocr_threads() == (os.cpu_count() or 1)
    settings.DOCUMENTS_OCR_THREADS = 1
    assert ocr_threads() == 1
