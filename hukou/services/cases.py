"""The case workflow (办件): receive, review, sign off, send back, complete, reject, accept with missing.

Which step may start from which status, and who may take it, is the table
``hukou.policy.CASE_STEPS``; every service here checks its step against that table (``_begin``),
and ``hukou.selectors.cases.case_actions`` offers exactly the same steps.

Every transition:
- locks the case row (``select_for_update``) and re-checks the status under the lock, so two
  approvers clicking at once produce exactly one completion and one registry change;
- records who, when and why in a ``CaseTransition`` row, in the same transaction;
- refuses bad requests with a ``ValidationError`` (Chinese message, ``code``), writing nothing.

Approval applies the business type's registry effect through ``hukou.services.registry`` in the
same transaction as the status change: either both happen or neither does.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.roles import Role
from common.workdays import add_working_days
from hukou.models import BusinessType, Case, CaseTransition, Household, IdCardApplication, Person, Station
from hukou.policy import APPROVER, CaseStep, case_step_for, case_steps, station_check
from hukou.services import effects
from hukou.services.case_guards import case_guards_check
from hukou.services.payloads import applicant_check, note_check

if TYPE_CHECKING:
    from hukou.policy import Actor

SUPPLEMENT_WORKING_DAYS = 3


# --- guards -------------------------------------------------------------------------------------


def _lock(case_id: int, *, actor) -> Case:
    case = Case.objects.select_for_update().select_related("business_type").get(pk=case_id)
    station_check(actor, case.station_id)
    return case


def _require_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise ValidationError(
            _("Case %(number)s is %(status)s; this step is not possible now.")
            % {"number": case.number, "status": case.get_status_display()},
            code="wrong_status",
        )


def _require_actor(case: Case, actor, by: str) -> None:
    if by == APPROVER:
        _check_approver(case, actor)
    else:
        _require_owner(case, actor)


def _begin(case_id: int, *, actor: Actor, action: str) -> tuple[Case, CaseStep]:
    """Locks the case and checks ``action`` against the workflow table: the actor's station,
    who the step is for (the receiving clerk or an approver) and the status it starts from.
    Where one kind of actor takes the action, who is checked before the status (so an
    approver of their own case hears the two-person rule, whatever the status)."""
    case = _lock(case_id, actor=actor)
    rows, step = case_steps(action), case_step_for(case, action)
    if len({row.by for row in rows}) == 1:
        _require_actor(case, actor, rows[0].by)
    if step is None:
        _require_status(case, *{status for row in rows for status in row.sources})
    _require_actor(case, actor, step.by)
    return case, step


def _guard(case: Case, step: CaseStep) -> None:
    """The extension point: another app may hold the case here (``hukou.services.case_guards``)."""
    if step.guard:
        case_guards_check(case=case, action=step.guard)


def _require_owner(case: Case, actor) -> None:
    """首问负责: only the clerk who received the case moves it along at the window."""
    if case.received_by_id != actor.pk:
        raise ValidationError(
            _("Only the clerk who received this case (first-contact responsibility) may do this."),
            code="not_owner",
        )


def _move(case: Case, to_status: str, *, actor: Actor | None, note: str = "", fields: tuple[str, ...] = ()) -> Case:
    note = note_check(note)
    from_status = case.status
    case.status = to_status
    case.version += 1
    case._change_reason = (note or to_status)[:100]
    case._history_user = actor
    case.save(update_fields=["status", "version", *fields])
    CaseTransition.objects.create(case=case, from_status=from_status, to_status=to_status, actor=actor, note=note)
    return case


# --- receiving ----------------------------------------------------------------------------------


def _next_case_number(station: Station, day: dt.date) -> str:
    """EAST-20261122-0001. The caller holds the station row lock, so the count cannot race;
    the unique constraint on ``Case.number`` is the backstop."""
    prefix = f"{station.code}-{day:%Y%m%d}-"
    last = Case.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def _check_receiver(actor, business_type: BusinessType) -> None:
    if actor.role not in business_type.receiver_roles:
        raise ValidationError(
            _("Your role may not receive %(business)s cases.") % {"business": business_type.name},
            code="not_receiver",
        )
    if not business_type.is_active:
        raise ValidationError(_("This business type is no longer offered."), code="business_inactive")


def _check_subjects(actor, household: Household | None, person: Person | None) -> None:
    if household is not None:
        station_check(actor, household.station_id)
    if person is not None:
        station_check(actor, person.household.station_id)


def _case_household(business_type: BusinessType, household, person):
    # A move-in's household is where the person goes, never where they came from.
    if household is not None or person is None or business_type.effect == BusinessType.Effect.MOVE_IN:
        return household
    return person.household


@transaction.atomic
def case_receive(
    *,
    actor: Actor,
    business_type: BusinessType,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    household: Household | None = None,
    person: Person | None = None,
    payload: dict[str, Any] | None = None,
    note: str = "",
) -> Case:
    """受理: a clerk of the station receives a case; they own it to the end (首问负责). The due
    date counts the business type's time limit in Chinese working days. The case number is
    unique per station and day, numbered under the station row lock. The request details are
    checked now, so a clerk hears about a bad ID number at the window, not at sign-off."""
    _check_receiver(actor, business_type)
    _check_subjects(actor, household, person)
    applicant_name, applicant_id_number, applicant_phone, note = applicant_check(
        name=applicant_name, id_number=applicant_id_number, phone=applicant_phone, note=note
    )
    payload = effects.effect_check(
        business_type=business_type, household=household, person=person, payload=payload, actor=actor
    )
    station = Station.objects.select_for_update().get(pk=actor.station_id)
    now = timezone.now()
    today = timezone.localdate(now)
    case = Case(
        number=_next_case_number(station, today),
        business_type=business_type,
        station=station,
        household=_case_household(business_type, household, person),
        person=person,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip(),
        applicant_phone=applicant_phone.strip(),
        payload=payload,
        received_by=actor,
        received_at=now,
        due_on=add_working_days(today, business_type.time_limit_working_days),
    )
    case._change_reason = _("Received")
    case._history_user = actor
    case.save()
    CaseTransition.objects.create(case=case, from_status="", to_status=case.status, actor=actor, note=note)
    if business_type.effect == BusinessType.Effect.ID_CARD:
        IdCardApplication.objects.create(case=case)
    return case


# --- window steps -------------------------------------------------------------------------------


@transaction.atomic
def case_accept_with_missing(*, actor: Actor, case_id: int, missing_items: list[str], note: str = "") -> Case:
    """容缺受理: the case goes on although non-core materials are missing; the applicant has 3
    working days to supply every item named here (the one-time notice: nothing else may be asked
    later). Missing the deadline lapses the case (``case_lapse_overdue``)."""
    items = [item.strip() for item in missing_items if item and item.strip()]
    if not items:
        raise ValidationError(_("Name every missing material, so the applicant is told once."), code="items_required")
    case, step = _begin(case_id, actor=actor, action="accept_with_missing")
    case.missing_items = items
    case.supplement_due_on = add_working_days(timezone.localdate(), SUPPLEMENT_WORKING_DAYS)
    text = note or _("Missing: %(items)s") % {"items": "、".join(items)}
    return _move(case, step.to, actor=actor, note=text, fields=("missing_items", "supplement_due_on"))


@transaction.atomic
def case_supplement_received(*, actor: Actor, case_id: int, note: str = "") -> Case:
    """The applicant supplied the missing materials in time: the case is back to received."""
    case, step = _begin(case_id, actor=actor, action="supplement")
    _refuse_late_supplement(case)
    _guard(case, step)
    text = note or _("Supplied: %(items)s") % {"items": "、".join(case.missing_items)}
    case.missing_items = []
    return _move(case, step.to, actor=actor, note=text, fields=("missing_items",))


def _refuse_late_supplement(case: Case) -> None:
    if case.supplement_due_on and timezone.localdate() > case.supplement_due_on:
        raise ValidationError(_("The supplement deadline has passed; the case has ended."), code="supplement_late")


@transaction.atomic
def case_supplement_received_online(*, case_id: int, note: str) -> Case:
    """The applicant supplied every missing item online (materials pre-review passed them), so
    no second trip is needed: the case is back to received, recorded without a clerk as actor,
    and its receiving clerk carries it on. Refused after the deadline or when a guard holds it."""
    case = Case.objects.select_for_update().select_related("business_type").get(pk=case_id)
    step = case_steps("supplement")[0]
    _require_status(case, *step.sources)
    _refuse_late_supplement(case)
    _guard(case, step)
    case.missing_items = []
    return _move(case, step.to, actor=None, note=note, fields=("missing_items",))


@transaction.atomic
def case_submit_for_review(*, actor: Actor, case_id: int, note: str = "") -> Case:
    """The receiving clerk sends a complete case to the station's approvers (随报随批); also a case
    an approver sent back for correction, once corrected."""
    case, step = _begin(case_id, actor=actor, action="submit")
    if not step.applies(case):
        raise ValidationError(
            _("This business needs no sign-off; complete it at the window."), code="no_approval_needed"
        )
    _guard(case, step)
    return _move(case, step.to, actor=actor, note=note)


@transaction.atomic
def case_complete(*, actor: Actor, case_id: int, note: str = "") -> Case:
    """当场办结: the receiving clerk completes a business that needs no sign-off and applies its
    effect. Business that needs sign-off is completed only by ``case_approve``."""
    case, step = _begin(case_id, actor=actor, action="complete")
    if not step.applies(case):
        raise ValidationError(_("This business must be signed off by an approver."), code="approval_needed")
    _guard(case, step)
    return _finish(case, step, actor=actor, note=note)


def _finish(case: Case, step: CaseStep, *, actor: Actor, note: str) -> Case:
    effects.effect_apply(case=case, actor=actor)
    case.completed_at = timezone.now()
    case.outcome_reason = note
    return _move(
        case,
        step.to,
        actor=actor,
        note=note,
        fields=("completed_at", "outcome_reason", "approved_by", "person", "household", "payload"),
    )


# --- sign-off -----------------------------------------------------------------------------------


def _check_approver(case: Case, actor) -> None:
    if actor.role == Role.AUX_CLERK:
        raise ValidationError(_("An auxiliary clerk may receive cases but never approve them."), code="aux_clerk")
    if actor.role not in case.business_type.approver_roles:
        raise ValidationError(_("Your role may not sign off this business."), code="not_approver")
    if actor.pk == case.received_by_id:
        raise ValidationError(
            _("You received this case yourself; another approver must sign it off (two-person rule)."),
            code="own_case",
        )


@transaction.atomic
def case_approve(*, actor: Actor, case_id: int, note: str = "") -> Case:
    """审签: an approver of the station, never the receiver, signs off a case under review; its
    registry effect is applied in the same transaction. The case row is locked first, so of two
    approvers clicking at once one completes it and the other is told it is already completed."""
    case, step = _begin(case_id, actor=actor, action="approve")
    _guard(case, step)
    case.approved_by = actor
    return _finish(case, step, actor=actor, note=note)


@transaction.atomic
def case_send_back(*, actor: Actor, case_id: int, reason: str) -> Case:
    """退回补正: an approver returns a case under review to its receiving clerk with what must be
    corrected; nothing in the registry changes. The clerk corrects it and sends it for sign-off
    again (``case_submit_for_review``), or rejects it. Same locks and checks as approving."""
    if not reason.strip():
        raise ValidationError(
            _("Say what must be corrected, so the receiving clerk knows what to do."), code="reason_required"
        )
    case, step = _begin(case_id, actor=actor, action="send_back")
    return _move(case, step.to, actor=actor, note=reason.strip())


@transaction.atomic
def case_reject(*, actor: Actor, case_id: int, reason: str) -> Case:
    """Rejects a case with reasons (件件有回音): the approver during review, or the receiving
    clerk before it was submitted (or after it was sent back). Nothing in the registry changes."""
    if not reason.strip():
        raise ValidationError(
            _("Give the reasons for rejecting, so the applicant knows what to do."), code="reason_required"
        )
    case, step = _begin(case_id, actor=actor, action="reject")
    case.outcome_reason = reason.strip()
    case.completed_at = timezone.now()
    return _move(case, step.to, actor=actor, note=reason.strip(), fields=("outcome_reason", "completed_at"))


def case_lapse_overdue(*, today: dt.date | None = None) -> list[str]:
    """Ends every case whose supplement deadline has passed (status LAPSED, with the reason).
    Each case in its own transaction, locked with SKIP LOCKED, so a clerk recording a supplement
    at that moment is not blocked and wins; running it twice changes nothing more. Returns the
    case numbers it lapsed."""
    today = today or timezone.localdate()
    due = Case.objects.filter(status=Case.Status.AWAITING_SUPPLEMENT, supplement_due_on__lt=today)
    lapsed = []
    for case_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            case = Case.objects.select_for_update(skip_locked=True).filter(pk=case_id).first()
            if case is None or case.status != Case.Status.AWAITING_SUPPLEMENT:
                continue
            reason = _("The missing materials were not supplied by %(date)s: %(items)s") % {
                "date": case.supplement_due_on.isoformat(),
                "items": "、".join(case.missing_items),
            }
            case.outcome_reason, case.completed_at = reason, timezone.now()
            _move(case, Case.Status.LAPSED, actor=None, note=reason, fields=("outcome_reason", "completed_at"))
            lapsed.append(case.number)
    return lapsed
