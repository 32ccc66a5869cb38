"""Writing change events, always inside the caller's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.dispatch import Signal

from hukou.models import ChangeEvent

if TYPE_CHECKING:
    from hukou.policy import Actor

# Sent inside the change's transaction with ``event=<ChangeEvent>``, so a consumer can write its
# own outbox row atomically with the change (hukou stays ignorant of who listens).
change_event_recorded = Signal()


def change_event_record(
    *,
    kind: str,
    person,
    household=None,
    changes: dict | None = None,
    case=None,
    actor: Actor | None = None,
    previous_address=None,
) -> ChangeEvent:
    """Append one change event. Must run inside the transaction that makes the change, so the
    event commits if and only if the change does (the registry's outbox guarantee)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("change_event_record must be called inside the change's transaction.")
    event = ChangeEvent.objects.create(
        kind=kind,
        person=person,
        household=household or person.household,
        changes=changes or {},
        case=case,
        actor=actor,
        previous_address=previous_address,
    )
    change_event_recorded.send(sender=ChangeEvent, event=event)
    return event
