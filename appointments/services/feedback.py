"""Ratings after service and 办不成事 reports that must each get an answer (件件有回音)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import FollowUp, Rating, Ticket


@transaction.atomic
def rating_create(*, ticket: Ticket, score: int, comment: str = "") -> Rating:
    """One rating per served ticket (1–5). Raises ``ValidationError`` for a ticket not yet
    served, a score out of range, or a second rating."""
    if ticket.status != Ticket.Status.DONE:
        raise ValidationError(_("You can rate a visit once it is finished."), code="not_done")
    if not 1 <= int(score) <= 5:
        raise ValidationError(_("Choose 1 to 5 stars."), code="score")
    try:
        with transaction.atomic():
            return Rating.objects.create(ticket=ticket, score=int(score), comment=comment.strip()[:500])
    except IntegrityError:
        raise ValidationError(_("This visit has already been rated. Thank you!"), code="duplicate") from None


@transaction.atomic
def follow_up_open(
    *, station_id: int, text: str, ticket: Ticket | None = None, reporter=None, phone: str = ""
) -> FollowUp:
    """办不成事: opens a follow-up for the station admin, due in ``FOLLOW_UP_DAYS`` days."""
    if not text.strip():
        raise ValidationError(_("Tell us what could not be done."), code="text_required")
    return FollowUp.objects.create(
        station_id=station_id,
        ticket=ticket,
        reporter=reporter,
        reporter_phone=phone.strip()[:20],
        text=text.strip()[:2000],
        due_on=timezone.localdate() + dt.timedelta(days=settings.FOLLOW_UP_DAYS),
    )


@transaction.atomic
def follow_up_answer(*, actor, follow_up_id: int, answer: str) -> FollowUp:
    """The station admin answers a report of their station (once; the parent sees the answer)."""
    follow_up = FollowUp.objects.visible_to(actor).select_for_update().filter(pk=follow_up_id).first()
    if follow_up is None:
        raise ValidationError(_("Report not found."), code="not_found")
    if follow_up.status == FollowUp.Status.ANSWERED:
        raise ValidationError(_("This report has already been answered."), code="answered")
    if not answer.strip():
        raise ValidationError(_("Write an answer."), code="answer_required")
    follow_up.answer = answer.strip()
    follow_up.status = FollowUp.Status.ANSWERED
    follow_up.answered_by = actor
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    return follow_up
