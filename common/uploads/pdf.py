"""PDF scans: read with pypdf, refused when encrypted, too long or carrying active content
(JavaScript, launch actions, embedded files), and rewritten page by page without metadata,
annotations or actions. The first page's scanned image becomes the thumbnail and the preview
that OCR reads."""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext_lazy as _
from PIL import Image

from common.uploads.sniff import CONTENT_TYPES, PDF, UploadRejected

# Active content is refused outright: a parent's scan never needs it.
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|EmbeddedFiles|RichMedia|XFA|OpenAction|AA)\b")


def pdf_process(*, data: bytes, digest: str, limits):
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    from common.uploads.pipeline import ProcessedUpload, thumbnail_of

    if _ACTIVE.search(data):
        raise UploadRejected(_("The PDF contains scripts or embedded files and is refused."), "pdf_active")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadRejected(_("The PDF is password-protected; upload an unprotected scan."), "pdf_encrypted")
        pages = len(reader.pages)
    except UploadRejected:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise UploadRejected(
            _("The file is damaged or incomplete; take or export the photo again."), "damaged"
        ) from None
    if pages == 0:
        raise UploadRejected(_("The PDF has no pages."), "pdf_empty")
    if pages > limits.max_pdf_pages:
        raise UploadRejected(
            _("The PDF has %(pages)s pages; at most %(limit)s are accepted per material.")
            % {"pages": pages, "limit": limits.max_pdf_pages},
            "pdf_too_many_pages",
        )
    writer = PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        for key in ("/Annots", "/AA"):
            if key in added:
                del added[key]
    out = io.BytesIO()
    writer.write(out)
    preview = _first_scan(reader, limits)
    return ProcessedUpload(
        kind=PDF,
        content=out.getvalue(),
        content_type=CONTENT_TYPES[PDF],
        extension="pdf",
        sha256=digest,
        thumbnail=thumbnail_of(preview, limits.thumbnail_edge) if preview else None,
        preview=_jpeg(preview) if preview else None,
        width=preview.size[0] if preview else 0,
        height=preview.size[1] if preview else 0,
        pages=pages,
    )


def _first_scan(reader, limits) -> Image.Image | None:
    """The largest image on the first page (a scanner puts the whole page there), within the
    pixel limit; ``None`` when the page has no image or it cannot be decoded safely."""
    try:
        candidates = list(reader.pages[0].images)
    except Exception:
        return None
    best = None
    for candidate in candidates:
        try:
            image = candidate.image
        except Exception:  # noqa: S112 - an undecodable image is skipped, the PDF stays accepted
            continue
        if image.size[0] * image.size[1] > limits.max_pixels:
            continue
        if best is None or image.size[0] * image.size[1] > best.size[0] * best.size[1]:
            best = image
    if best is None:
        return None
    best = best.convert("RGB")
    if max(best.size) > limits.max_edge:
        best.thumbnail((limits.max_edge, limits.max_edge))
    return best


def _jpeg(image: Image.Image) -> bytes:
    from common.uploads.pipeline import encode_jpeg

    return encode_jpeg(image)
