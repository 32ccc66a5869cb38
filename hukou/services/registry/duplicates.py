"""The approver's decision on a suspected duplicate registration.

Lives in the registry package because confirming a duplicate ends a person; the flagging and
the candidate search stay in ``hukou.services.duplicates``, which the registry services call. So
the imports go one way: registry -> duplicates, never back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.roles import Role
from hukou.models import DuplicateSuspect, Person
from hukou.policy import APPROVER_ROLES, station_check
from hukou.services.registry.persons import person_end

if TYPE_CHECKING:
    from hukou.policy import Actor


@transaction.atomic
def duplicate_suspect_decide(*, actor: Actor, suspect_id: int, confirmed: bool, note: str) -> DuplicateSuspect:
    """The approver's decision on a suspected duplicate. Confirming cancels the later
    registration (``person``) with the decision as reason; dismissing keeps both. Locks the
    suspect row, so a decision is made once. Only approvers of the person's station decide."""
    if actor.role not in (*APPROVER_ROLES, Role.SYSTEM_ADMIN):
        raise ValidationError(_("Only an approver may decide on a suspected duplicate."), code="not_approver")
    if not note.strip():
        raise ValidationError(_("Say why you decided so."), code="reason_required")
    suspect = DuplicateSuspect.objects.select_for_update().select_related("person__household").get(pk=suspect_id)
    station_check(actor, suspect.person.household.station_id)
    if suspect.status != DuplicateSuspect.Status.OPEN:
        raise ValidationError(_("This suspected duplicate has already been decided."), code="already_decided")
    suspect.status = DuplicateSuspect.Status.CONFIRMED if confirmed else DuplicateSuspect.Status.DISMISSED
    suspect.decided_by, suspect.decided_at, suspect.decision_note = actor, timezone.now(), note.strip()
    suspect.save()
    if confirmed and suspect.person.status == Person.Status.ACTIVE:
        person_end(
            actor=actor,
            person_id=suspect.person_id,
            status=Person.Status.CANCELLED,
            reason=_("Duplicate registration confirmed: %(note)s") % {"note": note.strip()},
        )
    return suspect
