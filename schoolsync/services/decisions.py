"""Unblocking a child whose event the receiver refused: audited decisions by an operator.

A parked event holds back its child's later events (order per child). Re-sending the same frozen
bytes (``outbound_replay``) helps when the receiver was at fault. When the data was at fault, an
operator decides, with a reason that is kept:

* **skip** — the event is withdrawn: it is re-sent under its id and sequence as a ``skipped``
  notice carrying no personal data, so the receiver's sequence has no gap and the child's next
  events follow;
* **rebuild** — after the registry was corrected, the body is rebuilt from the registry as it
  stands now (same id, type, sequence, time and changes; the child's items re-read) and sent.

Both keep the previous body in an ``OutboundDecision`` row with who, when and why, and keep every
earlier attempt. Neither applies to an event that was delivered.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou.models import Person
from schoolsync.models import OutboundDecision, OutboundEvent
from schoolsync.services.delivery import child_snapshot, is_school_age, outbound_requeue

Status = OutboundEvent.Status
DECIDABLE = (Status.PARKED, Status.EXHAUSTED)


class DecisionRefused(ValueError):
    """The decision cannot be taken (no reason, event not parked or exhausted, not a child now)."""


def _locked(ids: list[int]) -> list[OutboundEvent]:
    return list(OutboundEvent.objects.select_for_update().filter(pk__in=ids, status__in=DECIDABLE).order_by("id"))


def _decide(event: OutboundEvent, *, kind: str, actor, reason: str) -> None:
    OutboundDecision.objects.create(
        event=event,
        kind=kind,
        actor=actor,
        reason=reason,
        previous_status=event.status,
        previous_payload=event.payload,
    )


def skipped_payload(event: OutboundEvent) -> dict:
    """The withdrawal notice sent in place of the event: keys only, no personal data."""
    return {
        "id": str(event.event_id),
        "type": "skipped",
        "occurred_at": event.payload["occurred_at"],
        "sequence": event.sequence,
        "child": {"person_key": str(event.person_id)},
        "changes": {},
        "skipped_type": event.event_type,
    }


def outbound_skip(*, ids: list[int], actor, reason: str) -> int:
    """Withdraw parked or exhausted events (see the module docstring); others are left alone.
    Locks the rows; the decision and the new body commit together. Returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused(_("A reason is required to skip an event."))
    with transaction.atomic():
        events = _locked(ids)
        for event in events:
            _decide(event, kind=OutboundDecision.Kind.SKIP, actor=actor, reason=reason)
            event.payload = skipped_payload(event)
            outbound_requeue(event=event)
    return len(events)


def outbound_rebuild(*, ids: list[int], actor, reason: str) -> int:
    """Rebuild parked or exhausted events' bodies from the registry now and queue them again.
    Refuses (nothing written) if any of their people is no longer of school age: skip those.
    Returns how many were rebuilt."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionRefused(_("A reason is required to rebuild an event."))
    with transaction.atomic():
        events = _locked(ids)
        people = Person.objects.select_related("household__address__community").in_bulk(
            [event.person_id for event in events]
        )
        today = timezone.localdate()
        if any(not is_school_age(people[event.person_id], on=today) for event in events):
            raise DecisionRefused(_("A selected person is no longer of school age: skip the event instead."))
        for event in events:
            _decide(event, kind=OutboundDecision.Kind.REBUILD, actor=actor, reason=reason)
            event.payload = {**event.payload, "child": child_snapshot(people[event.person_id])}
            outbound_requeue(event=event)
    return len(events)
