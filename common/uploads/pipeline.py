"""The upload pipeline: bytes in, a clean re-encoded file out, or a Chinese refusal.

Each step uses a well-kept library rather than hand-written parsing: Pillow (with pillow-heif for
HEIC/HEIF) decodes, verifies, applies the EXIF orientation and re-encodes images; pypdf reads
and rewrites PDFs. Nothing here touches the disk or the database, so a refused file leaves
nothing behind by construction; ``common.uploads.storage`` writes only what passed.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from common.uploads.quality import QualityLimits, quality_findings, quality_measure
from common.uploads.sniff import (
    CONTENT_TYPES,
    HEIF,
    JPEG,
    PDF,
    PNG,
    UploadRejected,
    check_extension,
    check_filename,
    check_not_polyglot,
    sniff_kind,
)

_PIL_FORMATS = {JPEG: ["JPEG", "MPO"], PNG: ["PNG"], HEIF: ["HEIF"]}
_SIXTEEN_BIT_MODES = {"I", "I;16", "I;16B", "I;16L", "I;16N", "F"}


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 15 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_edge: int = 2000
    thumbnail_edge: int = 320
    max_pdf_pages: int = 10
    quality: QualityLimits = field(default_factory=QualityLimits)

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_pixels=settings.UPLOAD_MAX_PIXELS,
            max_edge=settings.UPLOAD_MAX_EDGE,
            thumbnail_edge=settings.UPLOAD_THUMBNAIL_EDGE,
            max_pdf_pages=settings.UPLOAD_MAX_PDF_PAGES,
            quality=QualityLimits(
                min_short_edge=settings.UPLOAD_MIN_SHORT_EDGE, blur_threshold=settings.UPLOAD_BLUR_THRESHOLD / 1000
            ),
        )


@dataclass
class ProcessedUpload:
    kind: str  # jpeg / png / heif / pdf (what came in)
    content: bytes  # what is kept: a re-encoded JPEG or PNG, or the rewritten PDF
    content_type: str
    extension: str
    sha256: str  # of the bytes received, to spot the same file sent twice
    thumbnail: bytes | None  # a small JPEG, or None for a PDF without a scanned image
    preview: bytes | None  # the image OCR reads and the clerk sees (an image: the content itself)
    width: int = 0
    height: int = 0
    pages: int = 1
    measures: dict = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)


def _register_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


_register_heif()


def upload_process(*, data: bytes, filename: str, limits: UploadLimits | None = None) -> ProcessedUpload:
    """Decides the type by content, enforces the limits, and returns a clean copy; raises
    ``UploadRejected`` (Chinese message, ``code``) for anything unsafe or unusable."""
    limits = limits or UploadLimits.from_settings()
    if len(data) > limits.max_bytes:
        raise UploadRejected(
            _("The file is larger than %(mb)s MB.") % {"mb": limits.max_bytes // (1024 * 1024)}, "too_large"
        )
    check_filename(filename)
    kind = sniff_kind(data)
    check_extension(kind, filename)
    check_not_polyglot(kind, data)
    digest = hashlib.sha256(data).hexdigest()
    if kind == PDF:
        from common.uploads.pdf import pdf_process

        return pdf_process(data=data, digest=digest, limits=limits)
    return _image_process(kind, data, digest, limits)


def _damaged() -> UploadRejected:
    return UploadRejected(_("The file is damaged or incomplete; take or export the photo again."), "damaged")


def _bomb() -> UploadRejected:
    return UploadRejected(_("The image has far too many pixels; it is refused."), "too_many_pixels")


def _check_complete(kind: str, data: bytes) -> None:
    """A truncated file is refused by its structure, not only by Pillow's decoder: WeasyPrint
    sets Pillow's global ``LOAD_TRUNCATED_IMAGES`` on import, which would make the decoder pad a
    cut-off photo with grey. A JPEG must have its end marker after the last start-of-scan (inside
    compressed data 0xFF is always stuffed, so 0xFFD9 cannot occur there by chance); a PNG must
    have its IEND chunk."""
    if kind == JPEG:
        scan = data.rfind(b"\xff\xda")
        if scan < 0 or data.find(b"\xff\xd9", scan) < 0:
            raise _damaged()
    elif kind == PNG and data.rfind(b"IEND") < 0:
        raise _damaged()


def _open_checked(kind: str, data: bytes, limits: UploadLimits) -> tuple[Image.Image, tuple[int, int]]:
    """Opens, verifies and fully decodes the image under the pixel limit; refuses bombs,
    truncated or corrupt files, CMYK, 16-bit and animated images."""
    _check_complete(kind, data)
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=_PIL_FORMATS[kind])
            if probe.size[0] * probe.size[1] > limits.max_pixels:
                raise _bomb()
            declared = probe.size
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=_PIL_FORMATS[kind])
            _check_mode(kind, image, data)
            if kind == JPEG:
                # Decode at the smallest DCT scale still at least max_edge: a 12 MP photo decodes
                # at a quarter of the pixels, which is most of the pipeline's speed.
                image.draft("RGB", _draft_size(image.size, limits.max_edge))
            image.load()
        except UploadRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb() from None
        except Exception:
            raise _damaged() from None
    return image, declared


def _draft_size(size: tuple[int, int], max_edge: int) -> tuple[int, int]:
    scale = min(1.0, max_edge / max(size))
    return (max(1, int(size[0] * scale)), max(1, int(size[1] * scale)))


def _check_mode(kind: str, image: Image.Image, data: bytes) -> None:
    if image.mode == "CMYK":
        raise UploadRejected(_("CMYK images (print colours) are not accepted; upload a normal phone photo."), "cmyk")
    # PNG keeps its bit depth in IHDR byte 24; Pillow may open 16-bit colour PNGs as 8-bit RGB.
    if image.mode in _SIXTEEN_BIT_MODES or (kind == PNG and len(data) > 24 and data[24] == 16):
        raise UploadRejected(_("16-bit images are not accepted; save the photo as an ordinary JPEG."), "sixteen_bit")
    if kind != JPEG and getattr(image, "n_frames", 1) > 1 and image.format != "HEIF":
        raise UploadRejected(_("Animated images are not accepted; upload one still photo."), "animated")


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode not in ("RGB", "L") else image


def encode_jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def thumbnail_of(image: Image.Image, edge: int) -> bytes:
    small = image.copy()
    small.thumbnail((edge, edge), Image.Resampling.BILINEAR)
    return encode_jpeg(small.convert("RGB"), quality=75)


def _image_process(kind: str, data: bytes, digest: str, limits: UploadLimits) -> ProcessedUpload:
    image, declared = _open_checked(kind, data, limits)
    image = ImageOps.exif_transpose(image)
    image = _flatten(image)
    if max(image.size) > limits.max_edge:
        image.thumbnail((limits.max_edge, limits.max_edge), Image.Resampling.BILINEAR)
    image.info.clear()  # no EXIF, GPS, ICC or text chunks travel into the kept copy
    measures = quality_measure(image)
    if kind == PNG:
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=3)
        content, content_type, extension = out.getvalue(), CONTENT_TYPES[PNG], "png"
    else:
        content, content_type, extension = encode_jpeg(image), CONTENT_TYPES[JPEG], "jpg"
    return ProcessedUpload(
        kind=kind,
        content=content,
        content_type=content_type,
        extension=extension,
        sha256=digest,
        thumbnail=thumbnail_of(image, limits.thumbnail_edge),
        preview=content,
        width=image.size[0],
        height=image.size[1],
        measures=measures,
        findings=quality_findings(size=declared, measures=measures, limits=limits.quality),
    )
