"""Guardianships (监护关系): set and end."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou.codes import Relationship
from hukou.models import ChangeEvent, Guardianship, Person
from hukou.services.events import change_event_record
from hukou.services.registry._shared import (
    _lock_person,
    _refuse_ended,
    _save,
)

if TYPE_CHECKING:
    from hukou.policy import Actor

Kind = ChangeEvent.Kind


@transaction.atomic
def guardianship_set(
    *,
    actor: Actor,
    child_id: int,
    guardian_id: int,
    relationship: str,
    has_custody: bool = True,
    valid_from: dt.date | None = None,
    case=None,
    reason: str = "",
) -> Guardianship:
    """监护关系确认: records that ``guardian`` is a guardian of ``child`` (with or without custody).
    ``relationship`` must be a code of the standard table (hukou.codes.Relationship; the database
    holds the same rule), so every change event can be built and every certificate printed.
    A pair has at most one open guardianship (database constraint); an open one is refused."""
    if not isinstance(relationship, str) or relationship not in Relationship.values:
        raise ValidationError(
            _("Choose the guardian's relationship from the standard table (GB/T 4761)."),
            code="relationship_invalid",
        )
    household, child = _lock_person(child_id, actor=actor)
    _refuse_ended(child)
    guardian = Person.objects.get(pk=guardian_id)
    if guardian.pk == child.pk:
        raise ValidationError(_("A person cannot be their own guardian."), code="guardian_self")
    if guardian.status == Person.Status.DECEASED:
        _refuse_ended(guardian)
    if Guardianship.objects.filter(child=child, guardian=guardian, valid_until__isnull=True).exists():
        raise ValidationError(_("This guardianship is already recorded."), code="guardianship_exists")
    guardianship = Guardianship(
        child=child,
        guardian=guardian,
        relationship=relationship,
        has_custody=has_custody,
        valid_from=valid_from or timezone.localdate(),
    )
    _save(guardianship, actor=actor, case=case, reason=reason, bump=False)
    _guardian_event(guardianship, household, actor=actor, case=case, before=None)
    _save(child, actor=actor, case=case, reason=reason)
    return guardianship


@transaction.atomic
def guardianship_end(
    *, actor: Actor, guardianship_id: int, valid_until: dt.date | None = None, case=None, reason: str
) -> Guardianship:
    """Ends an open guardianship (never deletes it). A reason is required; the end may not lie
    before the start (also a database constraint)."""
    if not reason.strip():
        raise ValidationError(_("Give the reason for ending the guardianship."), code="reason_required")
    child_id = Guardianship.objects.values_list("child_id", flat=True).get(pk=guardianship_id)
    household, child = _lock_person(child_id, actor=actor)
    guardianship = Guardianship.objects.select_for_update().get(pk=guardianship_id)
    if guardianship.valid_until is not None:
        raise ValidationError(_("This guardianship has already ended."), code="guardianship_ended")
    guardianship.valid_until = valid_until or timezone.localdate()
    if guardianship.valid_until < guardianship.valid_from:
        raise ValidationError(
            _("A guardianship cannot end (%(end)s) before it started (%(start)s).")
            % {"end": guardianship.valid_until.isoformat(), "start": guardianship.valid_from.isoformat()},
            code="guardianship_end_before_start",
        )
    _save(guardianship, actor=actor, case=case, reason=reason, bump=False)
    _guardian_event(guardianship, household, actor=actor, case=case, before=guardianship.guardian_id)
    _save(child, actor=actor, case=case, reason=reason)
    return guardianship


def _guardian_event(guardianship, household, *, actor, case, before) -> None:
    after = None if before is not None else guardianship.guardian_id
    change_event_record(
        kind=Kind.GUARDIAN_CHANGED,
        person=guardianship.child,
        household=household,
        changes={
            "guardian": {"before": before, "after": after},
            "has_custody": {"before": None, "after": guardianship.has_custody},
        },
        case=case,
        actor=actor,
    )


# --- checks without writing (used when a case is received) -------------------------------------
