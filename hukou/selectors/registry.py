"""Registry reads for clerks: search, household and person pages, always scoped to the user.

Every selector here runs a fixed number of queries however many members, guardians or history
rows there are (tests assert it), so a page costs the same for a family of one or of ten.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from common.idnumber import normalize_id_number
from common.text import pinyin_of
from hukou.models import Guardianship, Household, Person
from hukou.visibility import can_see_station


def _search_terms(query: str) -> tuple[str, str, str]:
    """(as typed, as an ID number, as pinyin): '张小明' and 'zhang xiaoming' both find 张小明."""
    query = (query or "").strip()
    pinyin = "".join(query.lower().split())
    if pinyin and not pinyin.isascii():
        pinyin = pinyin_of(query)
    return query, normalize_id_number(query), pinyin


def _person_ids(query: str, number: str, pinyin: str, column: str) -> QuerySet:
    """``column`` of persons whose ID number is ``number``, whose name starts with ``query`` or
    whose pinyin starts with ``pinyin``: a UNION, so that PostgreSQL answers each branch from its
    own index (an OR across them makes it scan every person)."""
    persons = Person.objects.order_by()
    branches = [persons.filter(id_number=number), persons.filter(name__startswith=query)]
    if pinyin.isascii() and pinyin.isalnum():
        branches.append(persons.filter(name_pinyin__startswith=pinyin))
    first, *rest = (branch.values(column) for branch in branches)
    return first.union(*rest)


def _household_ids(query: str) -> QuerySet:
    query, number, pinyin = _search_terms(query)
    households = Household.objects.order_by()
    return _person_ids(query, number, pinyin, "household_id").union(
        households.filter(number__startswith=query).values("pk"),
        households.filter(address__road__contains=query).values("pk"),
        households.filter(address__community__name__contains=query).values("pk"),
    )


def _active_member_count() -> Subquery:
    """A correlated subquery rather than a GROUP BY join: with ORDER BY number LIMIT 25
    PostgreSQL evaluates it for the 25 rows shown, not for every household that matched."""
    members = (
        Person.objects.filter(household=OuterRef("pk"), status=Person.Status.ACTIVE)
        .order_by()
        .values("household")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(members, output_field=IntegerField()), 0)


def household_list(*, user, query: str = "") -> QuerySet[Household]:
    """Households the user may see, with member counts, optionally narrowed by a search term:
    an ID number (exact), a household number (prefix), a member's name or its pinyin (prefix,
    spaces ignored), or the road or community of the address (contains). One query."""
    households = (
        Household.objects.visible_to(user)
        .select_related("address__community")
        .annotate(member_count=_active_member_count())
    )
    if (query or "").strip():
        households = households.filter(pk__in=_household_ids(query))
    return households.order_by("number")


def person_search(*, user, query: str) -> QuerySet[Person]:
    """Persons the user may see whose ID number (exact), name or pinyin (prefix) matches; one
    query; empty for an empty query, so nobody lists the whole registry by accident."""
    query, number, pinyin = _search_terms(query)
    if not query:
        return Person.objects.none()
    return (
        Person.objects.visible_to(user)
        .filter(pk__in=_person_ids(query, number, pinyin, "pk"))
        .select_related("household__address__community")
        .order_by("name", "birth_date", "pk")
    )


def person_by_id_number(*, user, id_number: str) -> Person | None:
    """The active person with this ID number, if the user may see them: one query on the
    partial unique index, joined to the household only. Unordered and without the address
    joins on purpose: at a million persons the planner's time for the wider query is most of
    the cost; ``person.household.address`` loads lazily if a caller wants it."""
    number = normalize_id_number(id_number)
    found = list(Person.objects.active().filter(id_number=number).select_related("household").order_by()[:1])
    if not found or not can_see_station(user, found[0].household.station_id):
        return None
    return found[0]


def _open_guardianships() -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(valid_until__isnull=True).select_related("guardian", "child")


def household_detail(*, user, household_id: int) -> Household:
    """One household with its address, members (active first) and their open guardianships.

    Three queries: the household, its members, their guardianships. 404 if not visible.
    """
    members = Person.objects.select_related("father", "mother").prefetch_related(
        Prefetch("guardianships", queryset=_open_guardianships(), to_attr="open_guardianships")
    )
    households = (
        Household.objects.visible_to(user)
        .select_related("address__community", "station")
        .prefetch_related(Prefetch("members", queryset=members.order_by("status", "relationship", "birth_date")))
    )
    return get_object_or_404(households, pk=household_id)


def person_detail(*, user, person_id: int) -> Person:
    """One person with household, address, parents, guardians and wards. 404 if not visible."""
    persons = (
        Person.objects.visible_to(user)
        .select_related("household__address__community", "household__station", "father", "mother")
        .prefetch_related(
            Prefetch("guardianships", queryset=_open_guardianships(), to_attr="open_guardianships"),
            Prefetch("wards", queryset=_open_guardianships(), to_attr="open_wards"),
        )
    )
    return get_object_or_404(persons, pk=person_id)
