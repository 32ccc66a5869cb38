"""Safe uploads, shared by the materials pre-review and the registry's archive scans.

processed = upload_process(data=..., filename=...)     # refuses with UploadRejected
names = upload_store(processed=processed, folder="documents/12")
... write the row; on failure: upload_discard(names=names.all())
private_file_response(name=..., content_type=..., filename=...)   # from a checked view
"""

from common.uploads.pipeline import ProcessedUpload, UploadLimits, upload_process
from common.uploads.sniff import UploadRejected
from common.uploads.storage import (
    StoredNames,
    private_file_response,
    private_storage,
    upload_discard,
    upload_read,
    upload_store,
)

__all__ = [
    "ProcessedUpload",
    "StoredNames",
    "UploadLimits",
    "UploadRejected",
    "private_file_response",
    "private_storage",
    "upload_discard",
    "upload_process",
    "upload_read",
    "upload_store",
]
