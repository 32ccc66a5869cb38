"""What a file really is, decided by its bytes, never by its name or the browser's word.

Only the formats a phone or a scanner produces are accepted: JPEG, PNG, HEIC/HEIF and PDF.
Everything else (archives, SVG, HTML, scripts) is refused before any decoder sees it, and a
file that is also something else (a polyglot: an image carrying an archive or markup, a PDF
behind an image header) is refused too.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

JPEG, PNG, HEIF, PDF = "jpeg", "png", "heif", "pdf"

EXTENSIONS = {
    JPEG: {"jpg", "jpeg", "jfif"},
    PNG: {"png"},
    HEIF: {"heic", "heif"},
    PDF: {"pdf"},
}
CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", PDF: "application/pdf"}

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
# Markers of a second format hidden in the same bytes (archives, markup, scripts, PDFs).
_FOREIGN = re.compile(
    rb"PK\x03\x04|PK\x05\x06|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c|%PDF-|<\?php|<script|<html|<svg|<!doctype",
    re.IGNORECASE,
)
_MARKUP_START = re.compile(rb"^\s*(<\?xml|<svg|<!doctype|<html|<head|<body|<script|<\?php|<)", re.IGNORECASE)


class UploadRejected(Exception):
    """The file is refused; ``message`` is a Chinese sentence for the person who sent it and
    ``code`` names the rule (tests and logs use it)."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def sniff_kind(data: bytes) -> str:
    """The format by content; raises ``UploadRejected`` for anything not accepted."""
    if not data:
        raise UploadRejected(_("The file is empty."), "empty")
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise UploadRejected(_("Archives (zip and the like) are not accepted; upload the photo itself."), "archive")
    if _MARKUP_START.match(data[:512].lstrip(b"\xef\xbb\xbf")):
        raise UploadRejected(
            _("This is a web page or SVG drawing, not a photo; upload a JPEG, PNG or HEIC photo."), "markup"
        )
    raise UploadRejected(_("Only JPEG, PNG and HEIC photos and PDF scans are accepted."), "unsupported")


MAX_FILENAME = 255


def check_filename(filename) -> None:
    """The name the browser sent is kept (shown to the clerk, in the download's header): no
    control or invisible characters (a right-to-left override makes ``photo\u202egpj.exe`` read
    as ``photoexe.jpg``), no zero-width characters, at most 255 characters."""
    if not isinstance(filename, str) or len(filename) > MAX_FILENAME:
        raise UploadRejected(_("The file name is too long; rename the file and try again."), "bad_filename")
    if any(unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs", "Cn"} for char in filename):
        raise UploadRejected(
            _("The file name contains characters that are not allowed; rename the file and try again."), "bad_filename"
        )


def check_extension(kind: str, filename: str) -> None:
    """The name must agree with the content: a PDF named .jpg is refused, so nobody downstream
    is misled by the name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in EXTENSIONS[kind]:
        raise UploadRejected(
            _("The file name ends in “.%(ext)s” but the file is a %(kind)s; rename it or upload the right file.")
            % {"ext": extension or "?", "kind": kind.upper()},
            "wrong_extension",
        )


def _outside_pixels(kind: str, data: bytes) -> bytes:
    """The bytes of an image that are not compressed pixels: the header and metadata before
    the pixel data starts, and anything after the image's end marker. Searching only these for
    foreign markers avoids false alarms from random-looking compressed pixels."""
    if kind == JPEG:
        start, end = data.find(b"\xff\xda"), data.rfind(b"\xff\xd9")
    elif kind == PNG:
        start, end = data.find(b"IDAT"), data.rfind(b"IEND")
        end = end + 8 if end >= 0 else -1
    else:
        return data[:4096]
    start = start if start >= 0 else len(data)
    return data[:start] + (data[end + 2 :] if end >= 0 else b"")


def check_not_polyglot(kind: str, data: bytes) -> None:
    """Refuses a file that also is something else: an image with an archive, a page, a script
    or a PDF in its metadata or after its end marker; a PDF with markup in its first bytes."""
    region = data[5:4096] if kind == PDF else _outside_pixels(kind, data)
    if kind == PDF:
        region = region.replace(b"%PDF-", b"")
    if _FOREIGN.search(region):
        raise UploadRejected(_("The file contains a second, hidden format and is refused."), "polyglot")
