"""Reading uploaded spreadsheets safely.

An .xlsx is a zip archive: a few hundred kilobytes can inflate to gigabytes of XML, and
openpyxl keeps the whole shared-strings table in memory even in read-only mode. The sizes the
archive declares are checked before openpyxl opens it; Python's zipfile never inflates a member
beyond its declared size (a lie ends in a CRC error), so the declared sizes are a real bound.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MB = 1024 * 1024


def xlsx_check_size(path: str | Path) -> None:
    """Raise ``ValidationError`` (code ``xlsx_too_large``) unless the workbook at ``path``
    inflates to at most ``IMPORT_XLSX_MAX_MB`` in all and ``IMPORT_XLSX_MAX_SHARED_STRINGS_MB``
    of shared strings, in at most ``IMPORT_XLSX_MAX_MEMBERS`` archive members."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(_("This is not a readable .xlsx file."), code="xlsx_invalid") from exc
    total = sum(member.file_size for member in members)
    shared = sum(member.file_size for member in members if member.filename.lower().endswith("sharedstrings.xml"))
    if (
        len(members) > settings.IMPORT_XLSX_MAX_MEMBERS
        or total > settings.IMPORT_XLSX_MAX_MB * _MB
        or shared > settings.IMPORT_XLSX_MAX_SHARED_STRINGS_MB * _MB
    ):
        raise ValidationError(
            _("The spreadsheet unpacks to more than %(max)d MB; split it or save it as .csv.")
            % {"max": settings.IMPORT_XLSX_MAX_MB},
            code="xlsx_too_large",
        )
