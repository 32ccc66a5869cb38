"""The automatic pre-review of one upload: OCR, then every audit point of the item.

Run by a Celery task after each upload (``documents.tasks.upload_prereview_task``). OCR runs
outside any transaction on purpose (seconds of CPU must not hold row locks); the verdicts are
then written in one short transaction, only if the upload is still the item's current one.
Running it twice for the same upload changes nothing more (idempotent)."""

from __future__ import annotations

import io
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from common.uploads import upload_read
from documents.checks import FAIL, NEEDS_PERSON, PASS, Evidence, check_run
from documents.models import ApplicationItem, Upload, Verdict
from documents.ocr import ocr_text
from hukou.models import Address, Community

logger = logging.getLogger("documents")
# Quality problems that make OCR pointless (its output would be noise the checks misread).
UNREADABLE = {"blurred", "too_dark", "washed_out"}
# Check kinds that read OCR text; an item whose points are only legible/seal/manual is not OCR'd.
TEXT_CHECKS = {"document_type", "name_match", "id_number", "birth_date", "date_valid", "custody", "address"}


# A claim older than this is taken to belong to a dead worker (acks_late redelivery, the sweep).
CLAIM_LEASE = timezone.timedelta(minutes=5)


def _claim(upload_id: int) -> Upload | None:
    """Takes the upload for this worker, or returns None when another worker holds it, it is
    done, or it was replaced. ``SKIP LOCKED`` lets a second worker racing for the same row walk
    away at once instead of queueing behind the first; the state test (queued, or a stale
    claim) makes the row untakeable once a claim has committed. The returned upload carries the
    claim's ``attempt``, which ``_record`` checks before writing."""
    now = timezone.now()
    with transaction.atomic():
        upload = (
            Upload.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("application_item__item", "application__child", "application__station")
            .filter(pk=upload_id, is_current=True)
            .filter(
                Q(state=Upload.State.QUEUED)
                | Q(state=Upload.State.CHECKING, claimed_at__lt=now - CLAIM_LEASE)
                | Q(state=Upload.State.CHECKING, claimed_at__isnull=True)
            )
            .first()
        )
        if upload is None:
            return None
        upload.state, upload.claimed_at, upload.attempt = Upload.State.CHECKING, now, upload.attempt + 1
        upload.save(update_fields=["state", "claimed_at", "attempt"])
        return upload


def _area_words(station_id: int) -> list[str]:
    communities = list(Community.objects.filter(station_id=station_id).values_list("name", flat=True))
    roads = Address.objects.filter(community__station_id=station_id).values_list("road", flat=True).distinct()[:200]
    return [*communities, *roads]


def evidence_for(upload: Upload, *, needs_text: bool = True) -> Evidence:
    """What the checks look at. OCR (the costly part) runs only when one of the item's audit
    points reads text and the photo is readable at all."""
    application, item = upload.application, upload.application_item.item
    image = None
    if upload.image_name:
        image = Image.open(io.BytesIO(upload_read(upload.image_name)))
        image.load()
    skipped = image is None or any(finding["code"] in UNREADABLE for finding in upload.findings)
    text = "" if skipped or not needs_text else ocr_text(image)
    child = application.child
    return Evidence(
        text=text,
        findings=upload.findings,
        image=image,
        keywords=item.keywords,
        validity_months=item.validity_months,
        expected_names=[name for name in (child.name if child else "", application.applicant_name) if name],
        expected_ids=[n for n in (child.id_number if child else "", application.applicant_id_number) if n],
        birth_date=child.birth_date if child else None,
        area_words=_area_words(application.station_id),
        today=timezone.localdate(),
        ocr_skipped=skipped,
    )


def item_status_of(verdicts: list[tuple[str, str, str]]) -> tuple[str, str]:
    """Item status from its verdicts (check kind, result, reason): any fail fails it; manual
    points (checked at the window anyway) do not hold it; an automatic point that could not
    decide asks for a person; otherwise it passed."""
    # dict.fromkeys: two points checking the same thing (A01, A26) give one reason, said once.
    failed = dict.fromkeys(reason for _kind, result, reason in verdicts if result == FAIL)
    if failed:
        return ApplicationItem.Status.FAILED, "；".join(failed)
    unsure = dict.fromkeys(reason for kind, result, reason in verdicts if result == NEEDS_PERSON and kind != "manual")
    if unsure:
        return ApplicationItem.Status.NEEDS_PERSON, "；".join(unsure)
    return ApplicationItem.Status.PASSED, _("All checks passed.")


def upload_prereview(*, upload_id: int) -> None:
    """Checks one upload against its item's audit points and records the verdicts; then lets
    an application awaiting supplements proceed if everything named has passed."""
    upload = _claim(upload_id)
    if upload is None:
        return
    points = list(upload.application_item.item.audit_points.filter(is_active=True))
    try:
        evidence = evidence_for(upload, needs_text=any(point.check_kind in TEXT_CHECKS for point in points))
    except Exception:
        logger.exception("pre-review of upload %s failed", upload_id)
        with transaction.atomic():
            if Upload.objects.filter(pk=upload_id, attempt=upload.attempt, is_current=True).update(
                state=Upload.State.ERROR
            ):
                ApplicationItem.objects.filter(pk=upload.application_item_id).update(
                    status=ApplicationItem.Status.NEEDS_PERSON,
                    reason=_("The automatic check failed; a clerk will check."),
                )
        return
    results = [(point, *check_run(evidence, point)) for point in points]
    if not _record(upload_id=upload_id, attempt=upload.attempt, text=evidence.text, results=results):
        return
    from documents.services.supplements import application_supplement_check

    application_supplement_check(application_id=upload.application_id)


@transaction.atomic
def _record(*, upload_id: int, attempt: int, text: str, results) -> bool:
    """Writes the verdicts if this worker still holds the claim (same attempt, still checking);
    a worker whose claim went stale and was taken over writes nothing. True when written."""
    upload = (
        Upload.objects.select_for_update().filter(pk=upload_id, attempt=attempt, state=Upload.State.CHECKING).first()
    )
    if upload is None:
        logger.info("pre-review of upload %s (attempt %s) superseded; result dropped", upload_id, attempt)
        return False
    item = ApplicationItem.objects.select_for_update().get(pk=upload.application_item_id)
    upload.verdicts.filter(source=Verdict.Source.AUTO).delete()
    Verdict.objects.bulk_create(
        Verdict(upload=upload, audit_point=point, result=result, reason=reason) for point, result, reason in results
    )
    upload.ocr_text, upload.state, upload.checked_at = text, Upload.State.DONE, timezone.now()
    upload.save(update_fields=["ocr_text", "state", "checked_at"])
    if upload.is_current:
        item.status, item.reason = item_status_of([(p.check_kind, r, why) for p, r, why in results])
        item.save(update_fields=["status", "reason"])
    return True


def prereview_sweep() -> list[int]:
    """Uploads whose kick was lost (broker down) or whose worker died mid-check are run again."""
    stale = timezone.now() - CLAIM_LEASE
    ids = list(
        Upload.objects.filter(is_current=True)
        .filter(
            Q(state=Upload.State.QUEUED, uploaded_at__lt=stale)
            | Q(state=Upload.State.CHECKING, claimed_at__lt=stale)
            | Q(state=Upload.State.CHECKING, claimed_at__isnull=True, uploaded_at__lt=stale)
        )
        .values_list("pk", flat=True)[:50]
    )
    for upload_id in ids:  # _claim takes over stale claims itself (and bumps the attempt)
        upload_prereview(upload_id=upload_id)
    return ids


__all__ = ["PASS", "prereview_sweep", "upload_prereview"]
