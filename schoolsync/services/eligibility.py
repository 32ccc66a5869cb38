"""School lookups of a child's eligibility by ID number (一证通办).

The only write is the access-log line: every lookup is logged with its purpose, whether the ID
number is invalid, unknown, not visible to the school, or found.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.idnumber import mask_id_number, validate_id_number
from hukou.models import AccessLog
from hukou.services.access import access_log_record
from schoolsync.selectors.eligibility import (
    Answer,
    basic_items,
    eligibility_evaluate,
    enrolment_year_on,
    is_school_age,
    person_for_lookup,
    person_visible_to_school,
    rule_in_force,
)

if TYPE_CHECKING:
    from hukou.policy import Actor


class LookupPurpose(models.TextChoices):
    ENROLMENT = "enrolment", gettext_lazy("First enrolment eligibility check")
    TRANSFER = "transfer", gettext_lazy("Transfer eligibility check")
    PREFILL = "prefill", gettext_lazy("Pre-fill of enrolment data")


class NotVisible(Exception):
    """No active person with this ID number that this school may see (the two are not told apart;
    an adult, never of school age, answers the same)."""


class NoRulesPublished(Exception):
    """The school has no eligibility rules in force for the year: nothing can be answered yet."""

    def __init__(self, *, school, year: int):
        super().__init__(year)
        self.school, self.year = school, year

    @property
    def message(self) -> str:
        return _("This school has not published its enrolment rules for %(year)s yet.") % {"year": self.year}


@dataclass
class Lookup:
    answer: Answer
    items: dict


def _log(*, actor: Actor, client_address, target: str, purpose: str, person=None) -> None:
    access_log_record(
        actor=actor,
        client_address=client_address,
        action=AccessLog.Action.LOOKUP,
        target=target,
        purpose=purpose,
        person=person,
    )


def eligibility_lookup(
    *,
    actor: Actor,
    id_number: str,
    purpose: str,
    year: int | None = None,
    client_address: str | None = None,
    on: dt.date | None = None,
) -> Lookup:
    """Look a child up by ID number for ``actor``'s school and answer with the verdict and the 8 items.

    Always writes exactly one access-log line (action LOOKUP) and nothing else. Raises
    ``ValidationError`` (the Chinese ID-number message) for an invalid number and ``NotVisible``
    for an unknown child, an adult (see ``schoolsync.school_age``) and a child outside the school's
    catchment and enrolments alike; ``NoRulesPublished`` when the school has no rules in force for
    the year (then nothing about the child is read).
    """
    on = on or timezone.localdate()
    year = year or enrolment_year_on(on)
    school = actor.school
    label = f"{school.code} {LookupPurpose(purpose).label} {year}"
    try:
        number = validate_id_number(id_number)
    except ValidationError:
        _log(actor=actor, client_address=client_address, target="id:invalid", purpose=label)
        raise
    target = f"id:{mask_id_number(number)}"
    rule = rule_in_force(school=school, year=year, on=on)
    if rule is None:
        _log(actor=actor, client_address=client_address, target=target, purpose=f"{label} 未发布招生规则")
        raise NoRulesPublished(school=school, year=year)
    person = person_for_lookup(school=school, year=year, id_number=number)
    if person is not None and not is_school_age(person, on=on):
        # Logged with the person, so the owning station sees a school asking about an adult.
        _log(
            actor=actor, client_address=client_address, target=target, purpose=f"{label} 成年人不予返回", person=person
        )
        raise NotVisible
    _log(actor=actor, client_address=client_address, target=target, purpose=label, person=person)
    # Visible: in the school's catchment for the year, or enrolled there (annotated by the lookup).
    if person is None or not person_visible_to_school(
        school=school, person=person, year=year, in_catchment=person.in_catchment
    ):
        raise NotVisible
    answer = eligibility_evaluate(
        school=school, person=person, year=year, on=on, in_catchment=person.in_catchment, rule=rule
    )
    return Lookup(answer=answer, items=basic_items(person, answer))
