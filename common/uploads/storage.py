"""Private storage for uploads: outside MEDIA_ROOT, never served by a URL of its own.

Files are read back only through ``private_file_response``, called by views that have checked
the user's right to the file and written the access log. The response is locked down: the type
is the one the pipeline produced (never guessed from the name), ``nosniff``, an explicit
``Content-Disposition``, a CSP that allows nothing to run, and no caching by shared caches.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse

from common.uploads.pipeline import ProcessedUpload

SAFE_CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
PRIVATE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"


def private_storage() -> FileSystemStorage:
    # base_url=None: the storage has no public URL at all.
    return FileSystemStorage(location=settings.PRIVATE_UPLOAD_ROOT, base_url=None)


@dataclass(frozen=True)
class StoredNames:
    content: str
    thumbnail: str = ""
    preview: str = ""

    def all(self) -> list[str]:
        return [name for name in (self.content, self.thumbnail, self.preview) if name]


def upload_store(*, processed: ProcessedUpload, folder: str) -> StoredNames:
    """Writes the clean copy (and its thumbnail and preview) under ``folder`` with random names;
    call ``upload_discard`` with the result if the database write that follows fails."""
    storage = private_storage()
    stem = f"{folder}/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        content = storage.save(f"{stem}.{processed.extension}", ContentFile(processed.content))
        written.append(content)
        thumbnail = storage.save(f"{stem}.thumb.jpg", ContentFile(processed.thumbnail)) if processed.thumbnail else ""
        written.append(thumbnail)
        preview = ""
        if processed.preview and processed.preview is not processed.content:
            preview = storage.save(f"{stem}.preview.jpg", ContentFile(processed.preview))
    except Exception:
        upload_discard(names=[name for name in written if name])
        raise
    return StoredNames(content=content, thumbnail=thumbnail, preview=preview)


def upload_discard(*, names: list[str]) -> None:
    """Deletes stored files; missing ones are ignored (idempotent)."""
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)


def upload_read(name: str) -> bytes:
    with private_storage().open(name, "rb") as handle:
        return handle.read()


def private_file_response(*, name: str, content_type: str, filename: str, attachment: bool = False) -> FileResponse:
    """The file as a response with safe headers; ``content_type`` must be one the pipeline makes."""
    return safe_file_response(
        file=private_storage().open(name, "rb"), content_type=content_type, filename=filename, attachment=attachment
    )


def safe_file_response(*, file, content_type: str, filename: str, attachment: bool = False) -> FileResponse:
    """An open file as a locked-down response: a type the pipeline makes (anything else is an
    octet-stream attachment), ``nosniff``, an explicit ``Content-Disposition``, a CSP that allows
    nothing to run, no shared caching. Also for files stored before the pipeline existed."""
    if content_type not in SAFE_CONTENT_TYPES:
        content_type = "application/octet-stream"
        attachment = True
    response = FileResponse(file, content_type=content_type)
    disposition = "attachment" if attachment else "inline"
    ascii_name = filename.encode("ascii", "ignore").decode() or "file"
    response["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PRIVATE_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
