"""Suspected duplicate registrations (错重假): flagged by the registry, decided by an approver."""

from __future__ import annotations

from django.db.models import Q

from hukou.models import DuplicateSuspect, Person


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
