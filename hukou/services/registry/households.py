"""Households: create, change address or kind, change the head."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou.codes import Relationship
from hukou.models import Address, ChangeEvent, Household, Person, Station
from hukou.services.events import change_event_record
from hukou.services.registry._shared import (
    _active_members,
    _check_station,
    _create_person,
    _lock_household,
    _next_household_number,
    _save,
    _set_relationship,
)

if TYPE_CHECKING:
    from hukou.policy import Actor

Kind = ChangeEvent.Kind


@transaction.atomic
def household_create(
    *,
    actor: Actor,
    address: Address,
    head: dict[str, Any],
    kind: str = Household.Kind.FAMILY,
    number: str = "",
    registered_on: dt.date | None = None,
    case=None,
    reason: str = "",
) -> Household:
    """Creates a household at an address of the actor's station together with its head (户主),
    so an active household never exists without exactly one head. Locks the station row to
    number households safely. Raises ValidationError (other station, bad head data, number taken)."""
    station = Station.objects.select_for_update().get(pk=address.community.station_id)
    _check_station(actor, station.pk)
    if kind not in Household.Kind.values:
        raise ValidationError(_("Unknown household kind."), code="kind_invalid")
    if number and Household.objects.filter(number=number).exists():
        raise ValidationError(_("This household number is already in use."), code="household_number_taken")
    household = Household(number=number or _next_household_number(station), kind=kind, address=address, station=station)
    _save(household, actor=actor, case=case, reason=reason, bump=False)
    head = {**head, "relationship": Relationship.HEAD}
    _create_person(
        household=household,
        data=head,
        registered_on=registered_on or timezone.localdate(),
        actor=actor,
        case=case,
        reason=reason,
    )
    return household


@transaction.atomic
def household_update(
    *,
    actor: Actor,
    household_id: int,
    expected_version: int | None,
    address: Address | None = None,
    kind: str | None = None,
    case=None,
    reason: str = "",
) -> Household:
    """Changes a household's address (within the station) or kind. Re-checks ``expected_version``
    under the row lock: the second of two concurrent edits gets ``StaleVersion``, never a silent
    lost update. Every active member gets an address-changed or household-changed event."""
    household = _lock_household(household_id, actor=actor, expected_version=expected_version)
    changes: dict[str, dict] = {}
    previous_address = None
    if address is not None and address.pk != household.address_id:
        _check_station(actor, address.community.station_id)
        previous_address = household.address
        changes["address"] = {"before": household.address.full_text, "after": address.full_text}
        household.address = address
    if kind is not None and kind != household.kind:
        if kind not in Household.Kind.values:
            raise ValidationError(_("Unknown household kind."), code="kind_invalid")
        changes["kind"] = {"before": household.kind, "after": kind}
        household.kind = kind
    if not changes:
        return household
    _save(household, actor=actor, case=case, reason=reason)
    event_kind = Kind.ADDRESS_CHANGED if "address" in changes else Kind.HOUSEHOLD_CHANGED
    for member in _active_members(household):
        change_event_record(
            kind=event_kind,
            person=member,
            household=household,
            changes=changes,
            case=case,
            actor=actor,
            previous_address=previous_address,
        )
    return household


@transaction.atomic
def household_change_head(
    *,
    actor: Actor,
    household_id: int,
    new_head_id: int,
    old_head_relationship: str,
    expected_version: int | None = None,
    case=None,
    reason: str = "",
) -> Household:
    """Makes another active member the head (户主); the old head takes ``old_head_relationship``.
    The household keeps exactly one head at every moment the database can see."""
    household = _lock_household(household_id, actor=actor, expected_version=expected_version)
    new_head = Person.objects.select_for_update().get(pk=new_head_id)
    if new_head.household_id != household.pk or new_head.status != Person.Status.ACTIVE:
        raise ValidationError(_("The new head must be an active member of this household."), code="head_not_member")
    if old_head_relationship == Relationship.HEAD or old_head_relationship not in Relationship.values:
        raise ValidationError(
            _("Choose the old head's new relationship to the new head."), code="relationship_required"
        )
    old_head = _active_members(household).select_for_update().filter(relationship=Relationship.HEAD).first()
    if old_head is not None and old_head.pk == new_head.pk:
        raise ValidationError(_("This person is already the head of the household."), code="already_head")
    # The old head steps down first: the one-head constraint is checked row by row.
    if old_head is not None:
        _set_relationship(old_head, old_head_relationship, actor=actor, case=case, reason=reason)
    _set_relationship(new_head, Relationship.HEAD, actor=actor, case=case, reason=reason)
    _save(household, actor=actor, case=case, reason=reason)
    return household
