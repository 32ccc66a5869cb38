"""Background work of the materials pre-review. Tasks take ids and call one service."""

from celery import shared_task
from celery.signals import worker_init

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


@worker_init.connect
def _ocr_threads_for_this_worker(sender=None, **kwargs) -> None:
    """Caps each pool process's OCR threads at cores ÷ concurrency (documents/ocr.py)."""
    from documents.ocr import ocr_worker_started

    concurrency = getattr(sender, "concurrency", None)
    if isinstance(concurrency, int) and concurrency > 0:
        ocr_worker_started(processes=concurrency)
