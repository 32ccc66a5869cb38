"""Background work of the materials pre-review. Tasks take ids and call one service."""

from celery import shared_task

from documents.services.prereview import prereview_sweep, upload_prereview
from documents.services.supplements import reminders_send


@shared_task(name="documents.upload_prereview", ignore_result=True, acks_late=True)
def upload_prereview_task(upload_id: int) -> None:
    """Pre-reviews one upload. Idempotent (a done upload, a replaced one or a vanished row is
    left alone), hence ``acks_late``: a worker killed mid-OCR gets the upload checked again."""
    upload_prereview(upload_id=upload_id)


@shared_task(name="documents.prereview_sweep", ignore_result=True)
def prereview_sweep_task() -> list[int]:
    """Runs uploads whose kick was lost or whose worker died. Idempotent."""
    return prereview_sweep()


@shared_task(name="documents.reminders_send", ignore_result=True)
def reminders_send_task() -> dict:
    """Deadline reminders and lapse notices, each sent once (a Reminder row per kind)."""
    return reminders_send()
