"""Eligibility of a child for a school and enrolment year: a pure read of the registry.

Every rule yields one ``Reason`` (a stable code, an outcome and a sentence in the active
language, Chinese by default). The verdict is "not eligible" if any reason fails, otherwise
"needs review" if any reason asks for review, otherwise "eligible". See docs/eligibility.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hukou.codes import Relationship
from hukou.models import Guardianship, Household, Person
from schoolsync.models import CatchmentArea, EligibilityRule, Enrolment
from schoolsync.school_age import age_on, is_school_age  # noqa: F401 (is_school_age re-exported)

PARENT_RELATIONSHIPS = frozenset({Relationship.FATHER, Relationship.MOTHER})
# Schools see children of school age only (schoolsync.school_age: under 18 by default) on the day
# of the lookup. An adult's number answers like an unknown one.


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", gettext_lazy("Eligible")
    NOT_ELIGIBLE = "not_eligible", gettext_lazy("Not eligible")
    NEEDS_REVIEW = "needs_review", gettext_lazy("Needs review")


class Outcome(models.TextChoices):
    PASS = "pass", gettext_lazy("Met")
    FAIL = "fail", gettext_lazy("Not met")
    REVIEW = "review", gettext_lazy("Needs review")


@dataclass(frozen=True)
class Reason:
    code: str
    outcome: str
    message: str


@dataclass(frozen=True)
class Guardian:
    name: str
    relationship: str  # the guardian's relationship to the child, e.g. 父亲


@dataclass
class Answer:
    verdict: str
    reasons: list[Reason]
    rule_version: str | None
    year: int
    guardians: list[Guardian] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)


def enrolment_year_on(day: dt.date) -> int:
    """The enrolment year a lookup on ``day`` is about: this year until 31 August, then the next."""
    return day.year if day.month <= 8 else day.year + 1


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months; 31 January + 1 month is the last day of February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rule_in_force(*, school, year: int, on: dt.date) -> EligibilityRule | None:
    return EligibilityRule.objects.in_force(school=school, year=year, on=on).first()


def address_in_catchment(*, school, year: int, address) -> bool:
    """True if ``address`` lies in one of the school's catchment areas for ``year``."""
    # No ordering: the model's default one would join schools and communities for nothing.
    areas = CatchmentArea.objects.filter(school=school, year=year, community_id=address.community_id).order_by()
    return any(area.contains(address) for area in areas)


def person_for_lookup(*, school, year: int, id_number: str) -> Person | None:
    """The active person with ``id_number``, in one query with everything the rules read:
    household, address, parents, and whether they are in the school's catchment for ``year``
    (``in_catchment``), enrolled there (``enrolled``) and have any guardianship (``has_guardianship``)."""
    return _lookup_queryset(school.pk, year).filter(id_number=id_number).first()


# What the rules and the 8 items read; fewer columns make the lookup measurably faster. A field
# missing here would cost one query more, which test_a_lookup_costs_three_queries… would catch.
_ADDRESS_FIELDS = ["community_id", "road", "number", "number_suffix", "building", "unit", "room"]
_LOOKUP_FIELDS = [
    *["id_number", "name", "sex", "birth_date", "relationship", "status", "registered_at_address_on"],
    *["household_id", "father_id", "mother_id"],
    *[f"{parent}__{name}" for parent in ("father", "mother") for name in ("name", "household_id", "status")],
    # station_id: the access log files a school's lookup under the child's station.
    *[f"household__{name}" for name in ("number", "kind", "status", "address_id", "station_id")],
    *[f"household__address__{name}" for name in _ADDRESS_FIELDS],
    *[f"household__address__community__{name}" for name in ("district", "subdistrict", "name")],
]


@functools.lru_cache(maxsize=512)
def _lookup_queryset(school_id: int, year: int):
    """Built once per school and year: building it costs more CPU than running it. A queryset is
    lazy and ``filter`` clones it, so the cached one never holds rows and never goes stale."""
    return (
        Person.objects.active()
        .select_related("household__address__community", "father", "mother")
        .only(*_LOOKUP_FIELDS)
        .annotate(
            in_catchment=Exists(CatchmentArea.objects.filter(school_id=school_id, year=year).containing()),
            enrolled=Exists(Enrolment.objects.filter(school_id=school_id, person=OuterRef("pk"))),
            has_guardianship=Exists(Guardianship.objects.filter(child=OuterRef("pk"))),
        )
        .order_by()  # at most one active person per number (a constraint): no sort needed
    )


def person_visible_to_school(*, school, person: Person, year: int, in_catchment: bool | None = None) -> bool:
    """School staff see a child only if the child's hukou address is in their catchment for ``year``
    or the child is enrolled at their school (any year)."""
    if in_catchment is None:
        in_catchment = address_in_catchment(school=school, year=year, address=person.household.address)
    if in_catchment:
        return True
    enrolled = getattr(person, "enrolled", None)  # annotated by person_for_lookup
    return enrolled if enrolled is not None else Enrolment.objects.filter(school=school, person=person).exists()


def guardians_in_household(person: Person, *, on: dt.date) -> tuple[list[Guardian], list[Guardianship]]:
    """Guardians living in the child's active household, and the open custody guardianships that
    name someone who is not the child's registered father or mother (adoptive or other guardians).

    A guardian is an open guardianship with custody, or the father or mother, in the same active
    household. Reads ``person.father``/``mother``: select them with the person.
    """
    household = person.household
    if household.status != Household.Status.ACTIVE:
        return [], []
    open_custody = (
        []
        if getattr(person, "has_guardianship", True) is False
        else list(
            Guardianship.objects.filter(child=person, has_custody=True, valid_from__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
            .select_related("guardian")
        )
    )
    parents = {pid for pid in (person.father_id, person.mother_id) if pid}
    others = [g for g in open_custody if g.guardian_id not in parents]
    found: dict[int, Guardian] = {}
    for g in open_custody:
        if _lives_with(g.guardian, household):
            found[g.guardian_id] = Guardian(g.guardian.name, g.get_relationship_display())
    for parent, label in ((person.father, Relationship.FATHER.label), (person.mother, Relationship.MOTHER.label)):
        if parent is not None and parent.pk not in found and _lives_with(parent, household):
            found[parent.pk] = Guardian(parent.name, label)
    return list(found.values()), others


def _lives_with(guardian: Person, household: Household) -> bool:
    return guardian.household_id == household.id and guardian.status == Person.Status.ACTIVE


def _day(value: dt.date) -> str:
    return date_format(value, "Y-m-d")


def _age_reason(rule: EligibilityRule, person: Person) -> Reason:
    cutoff, years = rule.cutoff_date, rule.min_age_years
    age = age_on(person.birth_date, cutoff)
    params = {"birth": _day(person.birth_date), "cutoff": _day(cutoff), "age": years}
    if age < years:
        return Reason(
            "age_too_young", Outcome.FAIL, _("Born on %(birth)s: not yet %(age)s years old on %(cutoff)s.") % params
        )
    if age > rule.max_age_years:
        params.update(actual=age, max=rule.max_age_years)
        return Reason(
            "age_over",
            Outcome.REVIEW,
            _(
                "Born on %(birth)s: already %(actual)s years old on %(cutoff)s, older than the %(max)s years of "
                "first enrolment; the liaison reviews it."
            )
            % params,
        )
    return Reason("age_ok", Outcome.PASS, _("Born on %(birth)s: %(age)s years old by %(cutoff)s.") % params)


def _catchment_reason(rule: EligibilityRule, person: Person, in_catchment: bool) -> Reason:
    address = person.household.address
    params = {"address": address.full_text, "school": rule.school.name, "year": rule.year}
    if in_catchment:
        return Reason(
            "catchment_in",
            Outcome.PASS,
            _("The hukou address %(address)s lies in the catchment of %(school)s for %(year)s.") % params,
        )
    return Reason(
        "catchment_out",
        Outcome.FAIL,
        _("The hukou address %(address)s lies outside the catchment of %(school)s for %(year)s.") % params,
    )


def _registration_reason(rule: EligibilityRule, person: Person) -> Reason:
    since, months, cutoff = person.registered_at_address_on, rule.min_registration_months, rule.cutoff_date
    params = {"since": _day(since), "months": months, "cutoff": _day(cutoff)}
    if add_months(since, months) <= cutoff:
        return Reason(
            "registration_ok",
            Outcome.PASS,
            _("Registered at this address since %(since)s: at least %(months)s months by %(cutoff)s.") % params,
        )
    return Reason(
        "registration_too_short",
        Outcome.FAIL,
        _("Registered at this address only since %(since)s: less than %(months)s months by %(cutoff)s.") % params,
    )


def _guardian_reasons(rule: EligibilityRule, person: Person, guardians, other_guardianships) -> list[Reason]:
    reasons = []
    if guardians:
        names = "、".join(g.name for g in guardians)
        reasons.append(
            Reason(
                "guardian_ok", Outcome.PASS, _("A guardian lives in the same household: %(names)s.") % {"names": names}
            )
        )
    elif rule.require_guardian:
        reasons.append(Reason("guardian_missing", Outcome.FAIL, _("No guardian lives in the child's household.")))
    for guardianship in other_guardianships:
        if guardianship.relationship in PARENT_RELATIONSHIPS:
            code, text = (
                "adopted_child",
                _("The child is in the custody of an adoptive parent; the liaison reviews it."),
            )
        else:
            code = "left_behind_guardianship"
            text = _("The child is in the custody of a guardian other than a parent (left-behind child); to review.")
        reasons.append(Reason(code, Outcome.REVIEW, text))
    return reasons


def _special_reasons(person: Person) -> list[Reason]:
    reasons = []
    if person.household.kind == Household.Kind.COLLECTIVE:
        reasons.append(
            Reason(
                "collective_household",
                Outcome.REVIEW,
                _("The child is registered in a collective household; the liaison reviews it."),
            )
        )
    if not person.id_number:
        reasons.append(
            Reason(
                "no_id_number", Outcome.REVIEW, _("The child has no resident ID number yet; the liaison reviews it.")
            )
        )
    return reasons


def _verdict(reasons: list[Reason]) -> str:
    outcomes = {reason.outcome for reason in reasons}
    if Outcome.FAIL in outcomes:
        return Verdict.NOT_ELIGIBLE
    if Outcome.REVIEW in outcomes:
        return Verdict.NEEDS_REVIEW
    return Verdict.ELIGIBLE


_LOOK_UP = object()


def eligibility_evaluate(
    *, school, person: Person, year: int, on: dt.date, in_catchment: bool | None = None, rule=_LOOK_UP
) -> Answer:
    """Apply the school's rule version in force on ``on`` for ``year`` to ``person``.

    ``person`` should come with ``household__address__community``, ``father`` and ``mother``
    selected; ``in_catchment`` may pass on what the caller already knows. Reads only; at most
    three queries (catchment, rule, guardianships); ``rule`` may pass on the rule in force when
    the caller already read it.
    """
    if in_catchment is None:
        in_catchment = address_in_catchment(school=school, year=year, address=person.household.address)
    guardians, others = guardians_in_household(person, on=on)
    if rule is _LOOK_UP:
        rule = rule_in_force(school=school, year=year, on=on)
    if rule is None:
        reason = Reason(
            "no_rule",
            Outcome.REVIEW,
            _("%(school)s has no eligibility rules in force for %(year)s; the liaison reviews it.")
            % {"school": school.name, "year": year},
        )
        return Answer(Verdict.NEEDS_REVIEW, [reason], None, year, guardians)
    rule.school = school
    reasons = [
        _age_reason(rule, person),
        _catchment_reason(rule, person, in_catchment),
        _registration_reason(rule, person),
    ]
    reasons += _guardian_reasons(rule, person, guardians, others) + _special_reasons(person)
    return Answer(_verdict(reasons), reasons, rule.version, year, guardians)


def basic_items(person: Person, answer: Answer) -> dict:
    """The 8 basic items (一证通办) the education platform pre-fills; nothing more of the registry."""
    return {
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth_date": person.birth_date.isoformat(),
        "id_number": person.id_number,
        "hukou_address": person.household.address.full_text,
        "household_number": person.household.number,
        "guardian_names": [g.name for g in answer.guardians],
        "relationship_to_guardian": [g.relationship for g in answer.guardians],
    }
