"""The steps of an ID-card case and the scanned archive pages.

ID card (居民身份证办理): photo, fingerprints and fee at the window, then the card is ready, then
collected, which completes the case (no sign-off). Each step locks the case row, refuses a step
out of order with a clear message, and is idempotent in the sense that repeating a done step is
refused rather than recorded twice.

Archive pages are append-only: added, never changed or removed.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.roles import Role
from common.validators import amount_validate, name_validate, text_validate
from hukou.models import ArchivePage, BusinessType, Case, CaseTransition, Household, IdCardApplication, Person
from hukou.services.cases import CLOSED, case_complete

# The largest fee a window takes for an ID card (the statutory fees are 20-40 yuan).
MAX_ID_CARD_FEE = Decimal("1000")


def _lock_card(case_id: int, *, actor) -> tuple[Case, IdCardApplication]:
    case = Case.objects.select_for_update().select_related("business_type").get(pk=case_id)
    if actor.station_id != case.station_id:
        raise ValidationError(
            _("This case or household belongs to another police station; it can only be handled there."),
            code="other_station",
        )
    if case.business_type.effect != BusinessType.Effect.ID_CARD:
        raise ValidationError(_("This case is not an ID card application."), code="not_id_card")
    if case.received_by_id != actor.pk:
        # 首问负责: the clerk who received the application carries it to the end.
        raise ValidationError(
            _("Only the clerk who received this case (first-contact responsibility) may do this."),
            code="not_owner",
        )
    if case.status in CLOSED:
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
def id_card_photo_taken(*, actor, case_id: int) -> IdCardApplication:
    """Records that the applicant's photo was taken at the window."""
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.photo_taken)
    card.photo_taken = True
    return _step(case, card, actor=actor, note=_("Photo taken"), fields=["photo_taken"])


@transaction.atomic
def id_card_fingerprint_taken(*, actor, case_id: int) -> IdCardApplication:
    """Records that the applicant's fingerprints were taken."""
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.fingerprint_taken)
    card.fingerprint_taken = True
    return _step(case, card, actor=actor, note=_("Fingerprints taken"), fields=["fingerprint_taken"])


@transaction.atomic
def id_card_fee_paid(*, actor, case_id: int, amount: Decimal | str) -> IdCardApplication:
    """Records the fee (zero for a free first card): a plain amount in yuan, at most two
    decimals and ``MAX_ID_CARD_FEE``; NaN, an exponent, a negative zero or text are refused
    (common.validators.amount_validate) before anything is locked."""
    if amount is None or amount == "":
        raise ValidationError(_("Enter the fee paid (0 if free)."), code="fee_invalid")
    amount = amount_validate(amount, maximum=MAX_ID_CARD_FEE)
    case, card = _lock_card(case_id, actor=actor)
    _refuse_repeat(card.fee_paid)
    card.fee_paid, card.fee_amount = True, amount
    note = _("Fee paid: %(amount)s yuan") % {"amount": card.fee_amount}
    return _step(case, card, actor=actor, note=note, fields=["fee_paid", "fee_amount"])


@transaction.atomic
def id_card_ready(*, actor, case_id: int) -> IdCardApplication:
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
def id_card_collected(*, actor, case_id: int, collected_by_name: str) -> IdCardApplication:
    """The card was handed over; this completes the case (the receiving clerk's step)."""
    if not isinstance(collected_by_name, str) or not collected_by_name.strip():
        raise ValidationError(_("Enter who collected the card."), code="collector_required")
    collected_by_name = name_validate(collected_by_name)
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
    actor,
    file,
    title: str,
    person: Person | None = None,
    household: Household | None = None,
    case: Case | None = None,
) -> ArchivePage:
    """Adds one scanned page to a person's or household's file (append-only)."""
    if person is None and household is None:
        raise ValidationError(_("Choose the person or household the page belongs to."), code="owner_required")
    if not title.strip():
        raise ValidationError(_("Give the page a title."), code="title_required")
    title = text_validate(title, max_length=128)
    station_id = household.station_id if household is not None else person.household.station_id
    if actor.role != Role.SYSTEM_ADMIN and actor.station_id != station_id:
        raise ValidationError(
            _("This household belongs to another police station; it can only be handled there."),
            code="other_station",
        )
    page = ArchivePage(file=file, title=title.strip()[:128], person=person, household=household, case=case)
    page.uploaded_by = actor
    page.save()
    return page
