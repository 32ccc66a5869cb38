"""Reads of the case workflow: the station's overdue and stalled cases, a case's allowed actions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.idnumber import mask_id_number
from common.workdays import WorkingCalendar
from hukou.codes import ETHNICITIES, Relationship, Sex
from hukou.models import Address, BusinessType, Case, DuplicateSuspect, Household, Person
from hukou.policy import CASE_STEPS, case_step_for, may_take

STALLED_AFTER_WORKING_DAYS = 3


def case_list(*, user, status: str = ""):
    """Cases the user may see (their station's), newest first."""
    cases = Case.objects.visible_to(user).select_related("business_type", "received_by", "approved_by")
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-received_at")


def business_types_receivable(*, user) -> list[BusinessType]:
    """The active business types ``user``'s role may receive, in catalogue order (birth, death,
    move-in, ... as loaded; not alphabetical by code)."""
    return [bt for bt in BusinessType.objects.filter(is_active=True).order_by("pk") if user.role in bt.receiver_roles]


def business_type_by_code(*, code: str) -> BusinessType:
    """The business type with this code, active or not (the service says if it is inactive);
    404 if there is none."""
    return get_object_or_404(BusinessType, code=code)


def business_type_receivable(*, code: str) -> BusinessType | None:
    """The active business type with this code, or None."""
    return BusinessType.objects.filter(code=code, is_active=True).first()


def case_for_api(*, case: Case) -> Case:
    """The case again with what its API answer shows: business type, people, ID card, steps."""
    return (
        Case.objects.select_related("business_type", "received_by", "approved_by", "id_card")
        .prefetch_related("transitions__actor")
        .get(pk=case.pk)
    )


def workbench_open_cases(*, user, limit: int = 20) -> list[Case]:
    """The station's open cases for the clerk's workbench, newest first (one query)."""
    cases = Case.objects.visible_to(user).filter(status__in=Case.OPEN_STATUSES).select_related("business_type")
    return list(cases.order_by("-received_at")[:limit])


def cases_awaiting_sign_off(*, user):
    """The station's cases under review, the most urgent first, for the approver's start page."""
    return (
        Case.objects.visible_to(user)
        .filter(status=Case.Status.UNDER_REVIEW)
        .select_related("business_type", "received_by")
        .order_by("due_on")
    )


def overdue_cases(*, user, today: dt.date | None = None):
    """Open cases past their due date, or awaiting a supplement past its deadline (限时办结)."""
    today = today or timezone.localdate()
    late = Q(due_on__lt=today) | Q(status=Case.Status.AWAITING_SUPPLEMENT, supplement_due_on__lt=today)
    return (
        Case.objects.visible_to(user)
        .filter(status__in=Case.OPEN_STATUSES)
        .filter(late)
        .select_related("business_type", "received_by")
        .order_by("due_on")
    )


def stalled_cases(*, user, working_days: int = STALLED_AFTER_WORKING_DAYS, today: dt.date | None = None) -> list:
    """Open cases with no step for ``working_days`` Chinese working days (服务滞留), oldest
    first, each with ``last_step_at`` and ``idle_working_days``. Counted in Python because
    working days come from the calendar (read once), over the station's open cases only."""
    today = today or timezone.localdate()
    cases = (
        Case.objects.visible_to(user)
        .filter(status__in=Case.OPEN_STATUSES)
        .annotate(last_step_at=Max("transitions__at"))
        .select_related("business_type", "received_by")
    )
    cases = list(cases)
    last_steps = {case.pk: timezone.localdate(case.last_step_at or case.received_at) for case in cases}
    if not cases:
        return []
    # One calendar read for all of them (not one per case): the page's query count stays flat.
    calendar = WorkingCalendar(min(*last_steps.values(), today), max(*last_steps.values(), today))
    stalled = []
    for case in cases:
        case.idle_working_days = calendar.between(last_steps[case.pk], today)
        if case.idle_working_days >= working_days:
            stalled.append(case)
    return sorted(stalled, key=lambda case: case.last_step_at or case.received_at)


def open_duplicate_suspects(*, user):
    """Suspected duplicate registrations of the station still waiting for an approver."""
    return (
        DuplicateSuspect.objects.visible_to(user)
        .filter(status=DuplicateSuspect.Status.OPEN)
        .select_related("person__household", "suspected_of__household")
        .order_by("created_at")
    )


def case_actions(*, case: Case, user) -> list[str]:
    """The steps ``user`` may take on ``case`` now, for the screen and the API to offer: the rows
    of the workflow table (``hukou.policy.CASE_STEPS``) the services would accept, in its order."""
    actions = []
    for action in dict.fromkeys(step.action for step in CASE_STEPS):
        step = case_step_for(case, action)
        if step is not None and step.applies(case) and may_take(case, user, step):
            actions.append(action)
    if "complete" in actions and case.business_type.effect == BusinessType.Effect.ID_CARD:
        # An ID card case completes itself when the card is collected (its own steps).
        actions[actions.index("complete")] = "id_card_steps"
    return actions


def case_transitions(*, case: Case) -> list:
    """Every step of the case, oldest first, with the actor (one query)."""
    return list(case.transitions.select_related("actor"))


def case_request_rows(*, case: Case) -> list[tuple[str, str]]:
    """The request details as labelled rows a clerk reads: codes become names, persons are
    named, ID numbers masked, empty values left out."""
    payload = dict(case.payload or {})
    payload.update(payload.pop("person", None) or {})
    payload.update({f"{field} →": value for field, value in (payload.pop("changes", None) or {}).items()})
    payload.pop("applied", None)
    # Only the case's own station: an id naming another station's resident shows as a bare number.
    parents = Person.objects.filter(household__station_id=case.station_id)
    people = dict(
        parents.filter(pk__in=_ids(payload.get("father_id"), payload.get("mother_id"))).values_list("pk", "name")
    )
    rows = []
    for key, value in payload.items():
        if value in (None, "", []):
            continue
        label, shown = _LABELS.get(key.rstrip(" →"), key), _shown(key.rstrip(" →"), value, people, case.station_id)
        rows.append((f"{label} →" if key.endswith("→") else str(label), shown))
    return rows


def _ids(*values) -> list[int]:
    """The values that are record ids (payloads stored before reception checked them may hold
    anything)."""
    return [value for value in values if isinstance(value, int) and not isinstance(value, bool)]


def _shown(key: str, value, people: dict, station_id: int) -> str:
    if key in ("father_id", "mother_id"):
        return people.get(value, str(value)) if isinstance(value, int) else str(value)
    if key == "id_number":
        return mask_id_number(value)
    if key == "sex":
        return str(Sex(value).label) if value in Sex.values else value
    if key == "relationship":
        return Relationship(value).label if value in Relationship.values else value
    if key == "ethnicity":
        return dict(ETHNICITIES).get(value, value)
    if key == "household_kind":
        return str(Household.Kind(value).label) if value in Household.Kind.values else value
    if key == "address_id":
        addresses = Address.objects.filter(community__station_id=station_id, pk__in=_ids(value))
        address = addresses.select_related("community").first()
        return address.full_text if address else str(value)
    return str(value)


_LABELS = {
    "name": _("Name"),
    "sex": _("Sex"),
    "birth_date": _("Birth date"),
    "id_number": _("Resident ID number"),
    "ethnicity": _("Ethnicity"),
    "native_place": _("Native place"),
    "former_names": _("Former names"),
    "relationship": _("Relationship to head"),
    "father_id": _("Father"),
    "mother_id": _("Mother"),
    "destination": _("Moving to"),
    "reason": _("Reason"),
    "status": _("Status"),
    "address_id": _("Or: address of a new household"),
    "household_kind": _("Household kind"),
    "moved_in_on": _("Moved in on"),
}
