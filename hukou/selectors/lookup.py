"""Finding one row by what a clerk types at the window: a household number, an ID number.

Forms call these (never ``Model.objects``), so the station scoping and the "which one if
several" rule are written once. The active-person lookup is ``person_by_id_number`` in
``hukou.selectors.registry`` (one query on the partial unique index).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from common.idnumber import normalize_id_number
from hukou.models import Address, Household, Person
from hukou.selectors.registry import person_by_id_number

__all__ = [
    "addresses_visible_to",
    "household_active_members",
    "household_by_number",
    "person_by_id_number",
    "person_by_id_number_any_status",
    "visible_or_404",
]


def household_by_number(*, user, number: str) -> Household | None:
    """The household with this number at a station the user may see, or None (one query)."""
    return Household.objects.visible_to(user).filter(number=number.strip()).first()


def person_by_id_number_any_status(*, user, id_number: str) -> Person | None:
    """The person with this ID number the user may see, whatever their status (a death, a
    restoration or a move-in may name someone no longer active): the most recently changed one
    when the number was held by several registrations over time (one query)."""
    number = normalize_id_number(id_number)
    return Person.objects.visible_to(user).filter(id_number=number).order_by("-updated_at").first()


def addresses_visible_to(*, user):
    """The addresses of the user's station, for a choice field, by community, road and number."""
    return Address.objects.visible_to(user).select_related("community").order_by("community__name", "road", "number")


def household_active_members(*, household: Household) -> list[Person]:
    """The household's active members, by relationship to the head, then age (one query)."""
    return list(household.members.filter(status=Person.Status.ACTIVE).order_by("relationship", "birth_date"))


def visible_or_404(model, *, user, pk, related: tuple[str, ...] = ()):
    """One row by id through ``model.objects.visible_to(user)``: another station's row answers
    404 exactly like a row that does not exist (one query, with ``related`` joined)."""
    return get_object_or_404(model.objects.visible_to(user).select_related(*related), pk=pk)
