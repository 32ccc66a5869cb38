"""Offline Chinese OCR with RapidOCR (PP-OCR models shipped inside the rapidocr_onnxruntime wheel;
no network). One engine per process, built on first use and used under a lock, so a process runs
one OCR at a time. Its ONNX Runtime sessions get ``intra_op_num_threads`` =
min(``DOCUMENTS_OCR_THREADS``, cores ÷ worker processes) and one inter-op thread: a Celery worker
records its concurrency at start (``worker_init``, inherited by the forked pool processes), so
all its processes together never run more OCR threads than the machine has cores."""

from __future__ import annotations

import io
import os
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from PIL import Image

_lock = threading.Lock()
_engine = None
# How many processes of this worker may run OCR at once (its Celery concurrency); 1 outside a worker.
_worker_processes = 1
# Text detection runs on the image scaled to at most 960 px on the long edge (recognition then
# reads the found lines from the full-resolution image, so small print stays legible); the angle
# classifier is off because photos arrive upright (EXIF orientation is applied at upload) and a
# few degrees of tilt are handled by the detector's rotated boxes. Both halve the time per page.
DET_LIMIT = 960


@dataclass(frozen=True)
class OcrLine:
    text: str
    score: float
    top: float
    left: float


def ocr_threads() -> int:
    """ONNX Runtime threads per OCR: the setting, capped so that every process of the worker
    running OCR at the same moment still fits in the cores (at least one)."""
    cores = os.cpu_count() or 1
    return max(1, min(settings.DOCUMENTS_OCR_THREADS, cores // max(1, _worker_processes)))


def ocr_worker_started(*, processes: int) -> None:
    """Called when a Celery worker starts (before its pool forks), with its concurrency."""
    global _worker_processes
    _worker_processes = max(1, int(processes))


def ocr_engine():
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR(
            det_limit_side_len=DET_LIMIT,
            det_limit_type="max",
            intra_op_num_threads=ocr_threads(),
            inter_op_num_threads=1,
            use_cls=False,
        )
    return _engine


def ocr_read(image: Image.Image | bytes) -> list[OcrLine]:
    """The text lines found, top to bottom."""
    if isinstance(image, bytes | bytearray):
        image = Image.open(io.BytesIO(image))
    array = np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # RapidOCR expects BGR like OpenCV
    with _lock:
        result, _elapsed = ocr_engine()(array)
    lines = [
        OcrLine(text=text, score=float(score), top=min(p[1] for p in box), left=min(p[0] for p in box))
        for box, text, score in (result or [])
    ]
    return sorted(lines, key=lambda line: (round(line.top / 20), line.left))


def ocr_text(image: Image.Image | bytes) -> str:
    return "\n".join(line.text for line in ocr_read(image))
