"""Is a photo of a document good enough to read? Cheap measures on a small grey copy.

- too small: the short edge of the original has too few pixels to read small print;
- blurred: the variance of the Laplacian (edges) is low relative to the image's own variance (the
  standard focus measure, normalised so a dark but sharp photo is not called blurred);
- too dark / washed out: the mean brightness is at either end with little contrast.

Each finding carries a Chinese reason the parent reads under the photo, next to the sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from PIL import Image

ANALYSIS_EDGE = 1000


@dataclass(frozen=True)
class QualityLimits:
    min_short_edge: int = 600
    blur_threshold: float = 0.02
    dark_mean: float = 55.0
    bright_mean: float = 235.0
    low_contrast_std: float = 12.0


def laplacian_variance(grey: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian of a 2-D array (sharp edges give a high value)."""
    g = grey.astype(np.float32)
    lap = -4 * g[1:-1, 1:-1] + g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:]
    return float(lap.var())


def quality_measure(image: Image.Image) -> dict:
    """Blur, brightness and contrast of ``image`` measured on a grey copy at most 1000 px wide."""
    grey = image.convert("L")
    if max(grey.size) > ANALYSIS_EDGE:
        grey.thumbnail((ANALYSIS_EDGE, ANALYSIS_EDGE), Image.Resampling.BILINEAR)
    array = np.asarray(grey)
    variance = float(array.var())
    return {
        "sharpness": round(laplacian_variance(array) / variance, 4) if variance > 1 else 0.0,
        "brightness": round(float(array.mean()), 1),
        "contrast": round(float(array.std()), 1),
    }


def quality_findings(*, size: tuple[int, int], measures: dict, limits: QualityLimits) -> list[dict]:
    """The problems found, each ``{"code", "reason"}``; an empty list means the photo is fine."""
    findings = []
    if min(size) < limits.min_short_edge:
        findings.append(
            {
                "code": "too_small",
                "reason": _("The photo is too small (%(w)s×%(h)s pixels); take it closer, at full resolution.")
                % {"w": size[0], "h": size[1]},
            }
        )
    if measures["sharpness"] < limits.blur_threshold:
        findings.append(
            {
                "code": "blurred",
                "reason": _("The photo is blurred; hold the phone still and let it focus, then retake it."),
            }
        )
    blurred = measures["sharpness"] < limits.blur_threshold
    if measures["brightness"] < limits.dark_mean:
        findings.append({"code": "too_dark", "reason": _("The photo is too dark; take it in better light.")})
    elif not blurred and measures["brightness"] > limits.bright_mean and measures["contrast"] < limits.low_contrast_std:
        findings.append(
            {"code": "washed_out", "reason": _("The photo is washed out (glare or overexposure); avoid direct light.")}
        )
    return findings
