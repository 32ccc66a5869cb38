"""Suspected duplicate registrations (错重假): flagged by the registry, decided by an approver."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.roles import Role
from hukou.models import DuplicateSuspect, Person
from hukou.policy import APPROVER_ROLES, station_check


def duplicate_candidates(*, name: str, sex: str, birth_date, father_id=None, mother_id=None, exclude_pk=None):
    """Active persons who may be the same as the described one: same name, sex and birth date,
    or the same parents and birth date. Pairs with a reason, for flagging and for the approver."""
    same_person = Q(name=name, sex=sex, birth_date=birth_date)
    same_parents = Q(pk__in=[])
    if father_id and mother_id:
        same_parents = Q(father_id=father_id, mother_id=mother_id, birth_date=birth_date)
    matches = Person.objects.active().filter(same_person | same_parents).select_related("household")
    if exclude_pk is not None:
        matches = matches.exclude(pk=exclude_pk)
    for other in matches:
        if other.name == name and other.sex == sex and other.birth_date == birth_date:
            yield other, DuplicateSuspect.Reason.SAME_NAME_SEX_BIRTH
        else:
            yield other, DuplicateSuspect.Reason.SAME_PARENTS


def duplicate_suspects_flag(*, person: Person, case=None) -> list[DuplicateSuspect]:
    """Flags ``person`` against every candidate duplicate. Runs inside the registry change's
    transaction; an already flagged pair is left as it is (idempotent)."""
    flagged = []
    candidates = duplicate_candidates(
        name=person.name,
        sex=person.sex,
        birth_date=person.birth_date,
        father_id=person.father_id,
        mother_id=person.mother_id,
        exclude_pk=person.pk,
    )
    for other, reason in candidates:
        suspect, created = DuplicateSuspect.objects.get_or_create(
            person=person, suspected_of=other, defaults={"reason": reason, "case": case}
        )
        if created:
            flagged.append(suspect)
    return flagged


@transaction.atomic
def duplicate_suspect_decide(*, actor, suspect_id: int, confirmed: bool, note: str) -> DuplicateSuspect:
    """The approver's decision on a suspected duplicate. Confirming cancels the later
    registration (``person``) with the decision as reason; dismissing keeps both. Locks the
    suspect row, so a decision is made once. Only approvers of the person's station decide."""
    from hukou.services.registry import person_end

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
