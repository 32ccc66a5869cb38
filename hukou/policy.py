"""hukou's policy: which roles do what in the registry, and the one "same station?" check.

Views (``role_required``), API views (``HasRole.of``), services and selectors read these names;
nobody re-declares a role set. ``common.roles`` keeps only what knows nothing of the registry
(``Role``, ``STATION_ROLES``, ``has_role``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from common.roles import Role
from hukou.models import Case
from hukou.visibility import can_see_station

if TYPE_CHECKING:
    # The acting user of every service: a user with ``role`` and ``station_id`` (accounts.User;
    # hukou names only the auth base class, never the app).
    from django.contrib.auth.base_user import AbstractBaseUser as Actor  # noqa: F401

# Who may receive a case at the window (auxiliaries may receive but never approve).
RECEIVER_ROLES = frozenset({Role.CLERK, Role.AUX_CLERK})
# Who may sign off a case.
APPROVER_ROLES = frozenset({Role.APPROVER, Role.STATION_ADMIN})
# Who may change households and guardianships directly, outside a case (screens and API alike);
# auxiliary clerks only receive cases.
REGISTRY_EDITOR_ROLES = frozenset({Role.CLERK, Role.APPROVER})
# Who may see full, unmasked resident ID numbers in the registry.
FULL_ID_ROLES = frozenset({Role.CLERK, Role.APPROVER, Role.STATION_ADMIN})
# Who may issue a certificate and open its PDF: it carries the full ID number, so the same set
# (auxiliary clerks hand certificates out but never issue or print them).
CERTIFICATE_ISSUER_ROLES = FULL_ID_ROLES
# Station staff who work cases and certificates: the workbench, case and certificate pages and
# their API. A tuple (sorted) because ``role_required(*STATION_STAFF_ROLES)`` takes roles in order.
STATION_STAFF_ROLES = tuple(sorted(RECEIVER_ROLES | APPROVER_ROLES))
# Registry reads (person, household, search, timeline) in the API: station staff plus system
# admins, who see every station (the screens send system admins to the Django admin instead).
REGISTRY_READER_ROLES = (*STATION_STAFF_ROLES, Role.SYSTEM_ADMIN)


class OtherStation(ValidationError, PermissionDenied):
    """The actor may not act on a row of this station.

    A ``ValidationError`` with code ``other_station`` (screens show its Chinese message, the API
    answers 400 with it) and a ``PermissionDenied`` (callers that refuse by role or station
    alike, such as certificates, catch one type)."""

    def __init__(self, message=None):
        super().__init__(
            message or _("This case or household belongs to another police station; it can only be handled there."),
            code="other_station",
        )


def station_check(actor, station_id: int | None, *, message=None) -> None:
    """Raises ``OtherStation`` unless ``actor`` may see rows of ``station_id``: the rule of
    ``hukou.visibility`` (staff of that station, or a system admin). What a system admin may
    *do* is a role question, answered by the caller's role check, not here."""
    if not can_see_station(actor, station_id):
        raise OtherStation(message)


# --- The case workflow --------------------------------------------------------------------------
#
# One table, read by the services (``hukou.services.cases`` checks a step against it under the
# case's row lock) and by ``hukou.selectors.cases.case_actions`` (which offers exactly the steps
# the services would accept). A row: the action, the statuses it may start from, who may take
# it, the status it leads to, the guard name passed to ``case_guards_check`` (the extension
# point through which another app holds a case), and what the clerk is told when it is done.

OWNER = "owner"  # the clerk who received the case (首问负责)
APPROVER = "approver"  # an approver of the business type, never the receiver (two-person rule)


@dataclass(frozen=True)
class CaseStep:
    action: str
    sources: frozenset
    by: str
    to: str
    guard: str = ""
    # Offered only for cases this returns True for (business needs sign-off, or not).
    applies: Callable[[Case], bool] = lambda case: True
    # What happened and what comes next, shown after the step (formatted with the case number).
    done: str = ""


def _needs_approval(case: Case) -> bool:
    return case.business_type.needs_approval


S = Case.Status
_WINDOW = frozenset({S.RECEIVED, S.RETURNED})
CASE_STEPS: tuple[CaseStep, ...] = (
    CaseStep(
        "submit",
        _WINDOW,
        OWNER,
        S.UNDER_REVIEW,
        guard="submit_for_review",
        applies=_needs_approval,
        done=_(
            "Case %(number)s was sent to the station's approvers for sign-off. You will see it back here "
            "if they send it back for correction."
        ),
    ),
    CaseStep(
        "complete",
        frozenset({S.RECEIVED}),
        OWNER,
        S.COMPLETED,
        guard="complete",
        applies=lambda case: not _needs_approval(case),
        done=_("Case %(number)s is completed and the registry is updated."),
    ),
    CaseStep(
        "accept_with_missing",
        frozenset({S.RECEIVED}),
        OWNER,
        S.AWAITING_SUPPLEMENT,
        done=_(
            "Case %(number)s is accepted with missing materials. Give the applicant the one-time notice; "
            "the case ends if they are not supplied by the deadline."
        ),
    ),
    CaseStep(
        "supplement",
        frozenset({S.AWAITING_SUPPLEMENT}),
        OWNER,
        S.RECEIVED,
        guard="supplement_received",
        done=_("The missing materials of case %(number)s are recorded. Carry the case on."),
    ),
    CaseStep(
        "approve",
        frozenset({S.UNDER_REVIEW}),
        APPROVER,
        S.COMPLETED,
        guard="approve",
        done=_("Case %(number)s is signed off and the registry is updated."),
    ),
    CaseStep(
        "send_back",
        frozenset({S.UNDER_REVIEW}),
        APPROVER,
        S.RETURNED,
        done=_("Case %(number)s was sent back to its receiving clerk for correction, with your reasons."),
    ),
    CaseStep(
        "reject",
        frozenset({S.UNDER_REVIEW}),
        APPROVER,
        S.REJECTED,
        done=_("Case %(number)s is rejected; the applicant is told the reasons."),
    ),
    CaseStep(
        "reject",
        frozenset({S.RECEIVED, S.AWAITING_SUPPLEMENT, S.RETURNED}),
        OWNER,
        S.REJECTED,
        done=_("Case %(number)s is rejected; the applicant is told the reasons."),
    ),
)
del S


def case_steps(action: str) -> list[CaseStep]:
    return [step for step in CASE_STEPS if step.action == action]


def case_step_for(case: Case, action: str) -> CaseStep | None:
    """The row of ``action`` that starts from the case's current status, if any."""
    return next((step for step in case_steps(action) if case.status in step.sources), None)


def is_case_owner(case: Case, actor) -> bool:
    return actor is not None and case.received_by_id == actor.pk


def is_case_approver(case: Case, actor) -> bool:
    return (
        actor is not None
        and actor.role != Role.AUX_CLERK
        and actor.role in case.business_type.approver_roles
        and actor.pk != case.received_by_id
    )


def may_take(case: Case, actor, step: CaseStep) -> bool:
    """Whether ``actor`` is the one this step is for (the status is the caller's question)."""
    return is_case_owner(case, actor) if step.by == OWNER else is_case_approver(case, actor)


def case_step_done_message(action: str, case: Case) -> str:
    """What the clerk is told after ``action`` on ``case``: what happened and what comes next."""
    step = next((step for step in case_steps(action) if step.done), None)
    if step is None:
        return str(_("Step recorded."))
    return str(step.done) % {"number": case.number}


def case_received_message(case: Case) -> str:
    """受理 and 提交审签 are two steps: say the first is done and what the second is."""
    if case.business_type.needs_approval:
        return _("Case %(number)s is received (step 1 of 2). Check the materials, then send it for sign-off.") % {
            "number": case.number
        }
    return _("Case %(number)s is received. Complete it at the window when the materials are in order.") % {
        "number": case.number
    }
