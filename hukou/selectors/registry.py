"""Registry reads for clerks: search, household and person pages, always scoped to the user.

Every selector here runs a fixed number of queries however many members, guardians or history
rows there are (tests assert it), so a page costs the same for a family of one or of ten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, IntegerField, Lookup, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, Collate
from django.shortcuts import get_object_or_404

from common.idnumber import normalize_id_number
from common.paging import CAP
from hukou.models import Community, Guardianship, Household, Person
from hukou.visibility import can_see_station

# Stored ID numbers are 18 characters (validate_id_number); 15 digits is a household number.
_ID_NUMBER = re.compile(r"\d{17}[\dX]")


@dataclass(frozen=True)
class SearchTerms:
    """What a search box holds, classified once, so each search runs only the branch that can
    match: an ID number is not also a name prefix, and a Chinese query is not also turned into
    pinyin ('李' would otherwise find every 刘, 林 and 梁: all 'li...')."""

    text: str  # as typed, trimmed
    id_number: str = ""  # an 18-character ID number, normalised
    chinese: str = ""  # a name prefix with at least one non-ASCII character
    pinyin: str = ""  # lower-case letters, spaces dropped: 'zhang xm' -> 'zhangxm'
    digits: str = ""  # digits that are not a whole ID number (a household-number prefix)


def search_terms(query: str) -> SearchTerms:
    text = (query or "").strip()
    compact = "".join(text.split())
    number = normalize_id_number(text)
    if _ID_NUMBER.fullmatch(number):
        return SearchTerms(text, id_number=number)
    if not compact.isascii():
        return SearchTerms(text, chinese=compact)
    if compact.isdigit():
        return SearchTerms(text, digits=compact)
    if compact.isalpha():
        return SearchTerms(text, pinyin=compact.lower())
    return SearchTerms(text)


def _after_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix`` (codepoint order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _codepoint(field: str):
    """``field`` in codepoint order: ``COLLATE "C"`` on PostgreSQL, whose indexes
    ``hukou_person_name_c_order`` / ``hukou_person_pinyin_c_order`` hold the same expression
    (migration 0009), so a prefix range and its ORDER BY come from one index scan; SQLite
    compares by codepoint already."""
    return Collate(field, "C") if connection.vendor == "postgresql" else F(field)


def _prefix_ordered(persons: QuerySet, field: str, prefix: str) -> QuerySet:
    """Persons whose ``field`` starts with ``prefix``, in ``field`` order: a range on the
    codepoint index, read in order, so ``[:25]`` stops after 25 rows however many match
    (a LIKE over 10,000 matches would have to sort them all first)."""
    persons = persons.alias(_key=_codepoint(field)).filter(_key__gte=prefix, _key__lt=_after_prefix(prefix))
    return persons.order_by("_key", "birth_date", "pk")


def _persons_matching(persons: QuerySet, terms: SearchTerms) -> QuerySet:
    if terms.id_number:
        return persons.filter(id_number=terms.id_number).order_by("name", "birth_date", "pk")
    if terms.chinese:
        return _prefix_ordered(persons, "name", terms.chinese)
    if terms.pinyin:
        return _prefix_ordered(persons, "name_pinyin", terms.pinyin)
    return persons.none()


# A household has at most a few members who share a name prefix; reading this many persons
# in name order yields CAP + 1 distinct households whenever that many match.
_PERSONS_PER_HOUSEHOLD = 6


def _bounded(branch: QuerySet, limit: int = CAP + 1) -> QuerySet:
    """The first ``limit`` rows of a branch (where the database allows LIMIT inside a UNION;
    SQLite does not, and is small)."""
    if connection.features.supports_slicing_ordering_in_compound:
        return branch[:limit]
    return branch.order_by()


def _households_of_persons(persons: QuerySet) -> list[int]:
    """Households of ``persons`` (ordered), first seen first, at most CAP + 1."""
    ids = persons.values_list("household_id", flat=True)[: (CAP + 1) * _PERSONS_PER_HOUSEHOLD]
    return list(dict.fromkeys(ids))[: CAP + 1]


def _household_ids(terms: SearchTerms) -> list[int] | None:
    """Primary keys of households matching ``terms`` (None when nothing can match): only the
    branches that can match, each from its own index and bounded, so a broad term hands the
    page query at most CAP + 1 candidates per branch to sort, and its capped count says when
    there are more (the page then shows households of the first matches: narrow the search).
    The candidates are read first and handed over as values: as a sub-query PostgreSQL cannot
    tell that a UNION of LIMITs is small and may hash-join it against every household.

    A road is searched with three characters or more, where its trigram index works ('青山路');
    a shorter Chinese term is a name or a community (one or two characters would make
    PostgreSQL read every address)."""
    persons, households = Person.objects.order_by(), Household.objects.order_by()
    if terms.id_number:
        return list(persons.filter(id_number=terms.id_number).values_list("household_id", flat=True))
    if terms.pinyin:
        return _households_of_persons(_prefix_ordered(persons, "name_pinyin", terms.pinyin))
    if not terms.chinese:
        return None
    communities = Community.objects.filter(name__contains=terms.chinese).values("pk")
    branches = [households.filter(address__community_id__in=communities).values_list("pk", flat=True)]
    if len(terms.chinese) >= 3:
        branches.append(households.filter(address__road__contains=terms.chinese).values_list("pk", flat=True))
    first, *rest = (_bounded(branch) for branch in branches)
    by_address = first.union(*rest) if rest else first
    return _households_of_persons(_prefix_ordered(persons, "name", terms.chinese)) + list(by_address)


class _AnyOf(Lookup):
    """``lhs = ANY(%s)``, the list passed as one array parameter (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _among(households: QuerySet, ids: list[int]) -> QuerySet:
    """``households`` whose pk is one of ``ids``: on PostgreSQL ``id = ANY(%s)`` with the ids as
    one array parameter. Up to a thousand candidates are handed over twice per page (the capped
    count and the page); ``pk__in`` made Django build and quote a thousand placeholders each time,
    which was most of a broad household search (docs/benchmarks.md)."""
    if connection.vendor != "postgresql":
        return households.filter(pk__in=ids)
    return households.filter(_AnyOf(F("pk"), list(ids)))


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
    spaces ignored), or the road or community of the address (contains). With a search term,
    one or two queries read the candidates (see ``_household_ids``) when this is called, and the
    returned queryset is one query."""
    households = (
        Household.objects.visible_to(user)
        .select_related("address__community")
        .annotate(member_count=_active_member_count())
    )
    terms = search_terms(query)
    if terms.digits:
        # A household-number prefix as a range on the unique index, read in number order
        # (numbers are digits, so the range is the prefix in any collation).
        return households.filter(number__gte=terms.digits, number__lt=_after_prefix(terms.digits)).order_by("number")
    if terms.text:
        ids = _household_ids(terms)
        households = _among(households, ids) if ids is not None else households.none()
        # Sorted after fetching the (at most ~1,100) candidates by primary key: ordering by the
        # indexed column let PostgreSQL walk the number index of all 400,000 households,
        # testing each against the candidate array (1.2 s at 1M persons). Numbers are digits,
        # so codepoint order is number order.
        return households.order_by(_codepoint("number"))
    return households.order_by("number")


def person_search(*, user, query: str) -> QuerySet[Person]:
    """Persons the user may see whose ID number (exact), name (prefix, in name order) or pinyin
    (prefix, in pinyin order) matches; one query; empty for an empty query, so nobody lists the
    whole registry by accident. Broad terms (one surname character, 'zhang') cost the same as
    narrow ones: the rows are read from an index in the order shown (see ``_prefix_ordered``)."""
    terms = search_terms(query)
    persons = Person.objects.visible_to(user).select_related("household__address__community")
    return _persons_matching(persons, terms)


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
