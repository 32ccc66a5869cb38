"""Offline Chinese OCR with RapidOCR (PP-OCR models shipped inside the rapidocr_onnxruntime wheel;
no network). One engine per process, used under a lock, with at most as many ONNX threads as the
machine has cores (``DOCUMENTS_OCR_THREADS`` capped by ``os.cpu_count()``), so a worker never
runs more OCR threads than cores."""

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
    return max(1, min(settings.DOCUMENTS_OCR_THREADS, os.cpu_count() or 1))


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
