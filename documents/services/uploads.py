"""A photo for one item: made safe by common.uploads, stored privately, pre-reviewed in Celery."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.uploads import UploadRejected, upload_discard, upload_process, upload_store
from documents.models import Application, ApplicationItem, Upload

OPEN_FOR_UPLOAD = (Application.Status.DRAFT, Application.Status.RECEIVED, Application.Status.AWAITING_SUPPLEMENT)


def _item_for(*, user, application_item_id: int) -> ApplicationItem:
    item = (
        ApplicationItem.objects.select_related("application", "item")
        .filter(pk=application_item_id, application__applicant=user)
        .first()
    )
    if item is None:
        raise ValidationError(_("No such material."), code="not_found")
    if item.application.status not in OPEN_FOR_UPLOAD:
        raise ValidationError(_("This application no longer takes uploads."), code="closed")
    if item.status == ApplicationItem.Status.PASSED and item.application.status != Application.Status.DRAFT:
        raise ValidationError(_("This material has already passed."), code="already_passed")
    return item


def upload_receive(*, user, application_item_id: int, data: bytes, filename: str) -> Upload:
    """Runs the safe-upload pipeline, stores the clean copy and records it as the item's
    current upload, then queues the pre-review after commit. A refused or duplicate file leaves
    nothing behind: the pipeline writes nothing, and stored files are deleted when the row
    cannot be written. Raises ``ValidationError`` (Chinese message)."""
    item = _item_for(user=user, application_item_id=application_item_id)
    try:
        processed = upload_process(data=data, filename=filename)
    except UploadRejected as refused:
        raise ValidationError(str(refused.message), code=refused.code) from None
    if Upload.objects.filter(application=item.application, sha256=processed.sha256).exists():
        raise ValidationError(_("This very file has already been uploaded for this application."), code="duplicate")
    names = upload_store(processed=processed, folder=f"documents/{item.application_id}")
    try:
        upload = _record(item=item, user=user, processed=processed, names=names, filename=filename)
    except IntegrityError:
        upload_discard(names=names.all())
        raise ValidationError(
            _("This very file has already been uploaded for this application."), code="duplicate"
        ) from None
    except Exception:
        upload_discard(names=names.all())
        raise
    return upload


@transaction.atomic
def _record(*, item, user, processed, names, filename) -> Upload:
    item = ApplicationItem.objects.select_for_update().get(pk=item.pk)
    item.uploads.filter(is_current=True).update(is_current=False)
    upload = Upload.objects.create(
        application_item=item,
        application_id=item.application_id,
        uploaded_by=user,
        file_name=names.content,
        thumbnail_name=names.thumbnail,
        preview_name=names.preview,
        original_name=filename[:128],
        content_type=processed.content_type,
        sha256=processed.sha256,
        size_bytes=len(processed.content),
        width=processed.width,
        height=processed.height,
        pages=processed.pages,
        measures=processed.measures,
        findings=processed.findings,
    )
    item.status, item.reason, item.overridden = ApplicationItem.Status.PENDING, "", False
    item.save(update_fields=["status", "reason", "overridden"])
    transaction.on_commit(lambda: _kick(upload.pk))
    return upload


def _kick(upload_id: int) -> None:
    from documents.tasks import upload_prereview_task

    try:
        upload_prereview_task.delay(upload_id)
    except Exception:
        import logging

        logging.getLogger("documents").warning("pre-review kick for upload %s lost; the sweep will run it", upload_id)
