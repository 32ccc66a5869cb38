"""Reads of the case workflow: the station's overdue and stalled cases, a case's allowed actions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.idnumber import mask_id_number
from common.roles import Role
from common.workdays import working_days_between
from hukou.codes import ETHNICITIES, Relationship, Sex
from hukou.models import Address, Case, DuplicateSuspect, Household, Person

OPEN = (Case.Status.RECEIVED, Case.Status.AWAITING_SUPPLEMENT, Case.Status.UNDER_REVIEW)
STALLED_AFTER_WORKING_DAYS = 3


def case_list(*, user, status: str = ""):
    """Cases the user may see (their station's), newest first."""
    cases = Case.objects.visible_to(user).select_related("business_type", "received_by", "approved_by")
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-received_at")


def overdue_cases(*, user, today: dt.date | None = None):
    """Open cases past their due date, or awaiting a supplement past its deadline (限时办结)."""
    today = today or timezone.localdate()
    late = Q(due_on__lt=today) | Q(status=Case.Status.AWAITING_SUPPLEMENT, supplement_due_on__lt=today)
    return (
        Case.objects.visible_to(user)
        .filter(status__in=OPEN)
        .filter(late)
        .select_related("business_type", "received_by")
        .order_by("due_on")
    )


def stalled_cases(*, user, working_days: int = STALLED_AFTER_WORKING_DAYS, today: dt.date | None = None) -> list:
    """Open cases with no step for ``working_days`` Chinese working days (服务滞留), oldest
    first, each with ``last_step_at`` and ``idle_working_days``. Counted in Python because
    working days come from the calendar, but over the station's open cases only (a few dozen)."""
    today = today or timezone.localdate()
    cases = (
        Case.objects.visible_to(user)
        .filter(status__in=OPEN)
        .annotate(last_step_at=Max("transitions__at"))
        .select_related("business_type", "received_by")
    )
    stalled = []
    for case in cases:
        last = timezone.localdate(case.last_step_at or case.received_at)
        case.idle_working_days = working_days_between(last, today)
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
    """The steps ``user`` may take on ``case`` now, for the screen and the API to offer."""
    actions = []
    owner = case.received_by_id == user.pk
    needs_approval = case.business_type.needs_approval
    approver = user.role in case.business_type.approver_roles and user.role != Role.AUX_CLERK and not owner
    if case.status == Case.Status.RECEIVED and owner:
        # An ID card case completes itself when the card is collected (its own steps).
        first = "id_card_steps" if case.business_type.effect == "id_card" else "complete"
        actions += ["submit" if needs_approval else first, "accept_with_missing", "reject"]
    if case.status == Case.Status.AWAITING_SUPPLEMENT and owner:
        actions += ["supplement", "reject"]
    if case.status == Case.Status.UNDER_REVIEW and approver:
        actions += ["approve", "reject"]
    return actions


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
