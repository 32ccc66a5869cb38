"""The steps of an ID-card case and the scanned archive pages.

ID card (居民身份证办理): photo, fingerprints and fee at the window, then the card is ready, then
collected, which completes the case (no sign-off). Each step locks the case row, refuses a step
out of order with a clear message, and is idempotent in the sense that repeating a done step is
refused rather than recorded twice.

Archive pages are append-only: added, never changed or removed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.uploads import ProcessedUpload, UploadRejected, upload_process
from common.validators import validate_money, validate_person_name, validate_plain_text
from hukou.models import ArchivePage, BusinessType, Case, CaseTransition, Household, IdCardApplication, Person
from hukou.policy import is_case_owner, station_check
from hukou.services.cases import case_complete

if TYPE_CHECKING:
    from hukou.policy import Actor

# The largest fee a window takes for an ID card (the statutory fees are 20-40 yuan).
MAX_ID_CARD_FEE = Decimal("1000")


def _lock_card(case_id: int, *, actor) -> tuple[Case, IdCardApplication]:
    case = Case.objects.select_for_update().select_related("business_type").get(pk=case_id)
    station_check(actor, case.station_id)
    if case.business_type.effect != BusinessType.Effect.ID_CARD:
        raise ValidationError(_("This case is not an ID card application."), code="not_id_card")
    if not is_case_owner(case, actor):
        # 首问负责: the clerk who received the application carries it to the end.
        raise ValidationError(
            _("Only the clerk who received this case (first-contact responsibility) may do this."),
            code="not_owner",
        )
    if case.status in Case.CLOSED_STATUSES:
        raise ValidationError(_("This case is closed."), code="case_closed")
    return case, IdCardApplication.objects.select_for_update().get(case=case)


def _step(case: Case, card: IdCardApplication, *, actor, note: str, fields: list[str]) -> IdCardApplication:
    card.save(update_fields=fields)
    CaseTransition.objects.create(case=case, from_status=case.status, to_status=case.status, actor=actor, note=note)
    return card


def _refuse_repeat(done: bool) -> None:
    if done:
        raise ValidationError(_("This step has already been recorded."), code="step_done")


@transaction.atomic
def id_card_photo_taken(*, actor: Actor, case_id: int) -> IdCardApplication:
    """Records that the applicant's photo was taken at the window."""
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.photo_taken)
    card.photo_taken = True
    return _step(case, card, actor=actor, note=_("Photo taken"), fields=["photo_taken"])


@transaction.atomic
def id_card_fingerprint_taken(*, actor: Actor, case_id: int) -> IdCardApplication:
    """Records that the applicant's fingerprints were taken."""
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.fingerprint_taken)
    card.fingerprint_taken = True
    return _step(case, card, actor=actor, note=_("Fingerprints taken"), fields=["fingerprint_taken"])


@transaction.atomic
def id_card_fee_paid(*, actor: Actor, case_id: int, amount: Decimal | str) -> IdCardApplication:
    """Records the fee (zero for a free first card): a plain amount in yuan, at most two
    decimals and ``MAX_ID_CARD_FEE``; NaN, an exponent, a sign or text are refused
    (common.validators.validate_money) before anything is locked."""
    if amount is None or amount == "":
        raise ValidationError(_("Enter the fee paid (0 if free)."), code="fee_invalid")
    amount = validate_money(amount, maximum=MAX_ID_CARD_FEE)
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.fee_paid)
    card.fee_paid, card.fee_amount = True, amount
    note = _("Fee paid: %(amount)s yuan") % {"amount": card.fee_amount}
    return _step(case, card, actor=actor, note=note, fields=["fee_paid", "fee_amount"])


@transaction.atomic
def id_card_ready(*, actor: Actor, case_id: int) -> IdCardApplication:
    """The card came back from production; refused until photo, fingerprints and fee are done."""
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.ready_at is not None)
    if not (card.photo_taken and card.fingerprint_taken and card.fee_paid):
        raise ValidationError(
            _("Photo, fingerprints and fee must all be recorded before the card can be ready."), code="card_incomplete"
        )
    card.ready_at = timezone.now()
    return _step(case, card, actor=actor, note=_("Card ready for collection"), fields=["ready_at"])


@transaction.atomic
def id_card_collected(*, actor: Actor, case_id: int, collected_by_name: str) -> IdCardApplication:
    """The card was handed over; this completes the case (the receiving clerk's step)."""
    if not isinstance(collected_by_name, str) or not collected_by_name.strip():
        raise ValidationError(_("Enter who collected the card."), code="collector_required")
    collected_by_name = validate_person_name(collected_by_name)
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.collected_at is not None)
    if card.ready_at is None:
        raise ValidationError(_("The card is not ready yet."), code="card_not_ready")
    card.collected_at, card.collected_by_name = timezone.now(), collected_by_name.strip()[:64]
    card.save(update_fields=["collected_at", "collected_by_name"])
    case_complete(actor=actor, case_id=case.pk, note=_("Collected by %(name)s") % {"name": card.collected_by_name})
    return card


@transaction.atomic
def archive_page_add(
    *,
    actor: Actor,
    file,
    title: str,
    person: Person | None = None,
    household: Household | None = None,
    case: Case | None = None,
) -> ArchivePage:
    """Adds one scanned page to a person's or household's file (append-only). The scan goes
    through the shared upload pipeline (``common.uploads``): images and PDF only, decided by
    content; size and pixel limits; re-encoded without metadata. What is kept is the clean copy,
    so an SVG, HTML page or polyglot can never be served back. Raises ``ValidationError``
    (Chinese message) and writes nothing for a refused file."""
    if person is None and household is None:
        raise ValidationError(_("Choose the person or household the page belongs to."), code="owner_required")
    title = validate_plain_text(title, max_length=128)
    if not title:
        raise ValidationError(_("Give the page a title."), code="title_required")
    station_id = household.station_id if household is not None else person.household.station_id
    station_check(actor, station_id)
    clean = _scan_clean(file)
    page = ArchivePage(title=title.strip()[:128], person=person, household=household, case=case)
    page.uploaded_by = actor
    page.file.save(f"scan.{clean.extension}", ContentFile(clean.content), save=False)
    try:
        page.save()
    except Exception:
        page.file.storage.delete(page.file.name)  # no file without its row
        raise
    return page


def _scan_clean(file) -> ProcessedUpload:
    data = file.read(settings.UPLOAD_MAX_BYTES + 1)  # one byte more than allowed is enough to refuse
    try:
        return upload_process(data=data, filename=getattr(file, "name", "") or "scan")
    except UploadRejected as refused:
        raise ValidationError(str(refused.message), code=refused.code) from None
