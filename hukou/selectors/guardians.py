"""Who a child's guardians are: one rule for every place that prints or sends them
(certificates, the education system's 8 items)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from hukou.codes import Relationship
from hukou.models import Guardianship, Person


def legal_guardians(person: Person, *, on: dt.date | None = None) -> list[tuple[Person, str]]:
    """(guardian, relationship code) on ``on`` (today by default): the guardianships recorded
    as valid that day, in the order they were recorded; when none is recorded, the registered
    father and mother, who are guardians by law. Reads ``person.father``/``mother``."""
    on = on or timezone.localdate()
    recorded = (
        Guardianship.objects.filter(child=person, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("guardian")
        .order_by("id")
    )
    guardians = [(g.guardian, g.relationship) for g in recorded]
    if guardians:
        return guardians
    parents = ((person.father, Relationship.FATHER), (person.mother, Relationship.MOTHER))
    return [(parent, str(code)) for parent, code in parents if parent is not None]
