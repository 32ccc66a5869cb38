"""Delivering registry changes to the education system: outbox rows, claims, HTTP, retries.

Guarantees (docs/sync-protocol.md says the same to the receiving side):

* **Never lost.** ``outbound_event_create`` runs inside the registry change's transaction (through
  ``hukou.services.events.change_event_recorded``), so the row commits with the change. Should it
  ever be missing, ``outbound_backfill`` (run by the sweeper) creates it from the change event.
* **At least once, same id.** A row stays pending until a 2xx answer; every retry sends the same
  frozen body under the same ``event_id``.
* **In order per child.** Only the head of a child's queue (no earlier undelivered event of that
  child) can be claimed, so event n+1 of a child is never sent before event n was acknowledged.
  A parked event therefore holds back its child's later events, and nobody else's.
* **Leases, not locks, across HTTP.** A claim sets ``claimed_until``; no transaction is held open
  during the request, and a killed worker's claim simply expires.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from hukou.codes import relationship_label
from hukou.models import ChangeEvent, Person
from hukou.selectors.guardians import legal_guardians
from schoolsync.models import OutboundEvent
from schoolsync.receiver.signing import SIGNATURE_HEADER, signature_header

logger = logging.getLogger(__name__)
Status = OutboundEvent.Status

# 4xx answers that mean "try again later" rather than "this event is wrong".
RETRYABLE_4XX = frozenset({408, 425, 429})
BATCH_SIZE = 50
# Payload key of an event parked because its body could not be built (see _park_unbuildable).
BUILD_ERROR = "build_error"
# Redis key meaning "a delivery task is queued and has not started claiming yet".
KICK_KEY = "schoolsync:delivery-kick"
# Safety net if that task is lost: after this many seconds commits kick again.
KICK_TTL = 5


# --- Writing the outbox ----------------------------------------------------------------------


def _guardians(person: Person) -> list[dict]:
    return [
        {
            "name": guardian.name,
            "relationship": str(code),
            "relationship_label": relationship_label(code),
        }
        for guardian, code in legal_guardians(person)
    ]


def child_snapshot(person: Person) -> dict:
    """The eight items of 一证通办 as they stand now (after the change), plus keys and status."""
    household = person.household
    return {
        "person_key": str(person.pk),
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "id_number": person.id_number,
        "hukou_address": household.address.full_text,
        "household_number": household.number,
        "guardians": _guardians(person),
        "status": person.status,
    }


def outbound_event_create(*, change_event: ChangeEvent) -> OutboundEvent:
    """Write the outbound row of ``change_event`` in the caller's transaction.

    Locks the person row (FOR NO KEY UPDATE, not its household) so two concurrent changes of one
    child get sequence numbers in their commit order (the second waits for the first to commit).
    Idempotent per change event."""
    existing = OutboundEvent.objects.filter(change_event=change_event).first()
    if existing:
        return existing
    person = (
        Person.objects.select_for_update(of=("self",), no_key=True)
        .select_related("household__address__community")
        .get(pk=change_event.person_id)
    )
    last = OutboundEvent.objects.filter(person=person).order_by("-sequence").values_list("sequence", flat=True).first()
    sequence = (last or 0) + 1
    occurred_at = change_event.occurred_at
    event = OutboundEvent(
        change_event=change_event,
        person=person,
        sequence=sequence,
        event_type=change_event.kind,
        occurred_at=occurred_at,
    )
    event.payload = {
        "id": str(event.event_id),
        "type": change_event.kind,
        "occurred_at": occurred_at.isoformat(),
        "sequence": sequence,
        "changes": change_event.changes,
    }
    try:
        event.payload["child"] = child_snapshot(person)
    except Exception as exc:
        _park_unbuildable(event, exc)
    event.save()
    transaction.on_commit(_kick, robust=True)
    return event


def _park_unbuildable(event: OutboundEvent, exc: Exception) -> None:
    """An event whose body cannot be built is never left to fail silently on every sweep: it is
    written parked, with the reason in ``last_error`` (shown in the admin, where an operator
    fixes the data and replays it), and kept out of the pull feed (``BUILD_ERROR`` key)."""
    reason = f"The event body could not be built: {type(exc).__name__}: {exc}"[:1000]
    logger.error("Outbound event for change event %s parked: %s", event.change_event_id, reason)
    event.status, event.last_error = Status.PARKED, reason
    event.payload[BUILD_ERROR] = reason


def on_change_event_recorded(sender, event: ChangeEvent, **kwargs) -> None:
    """Signal receiver: create the outbound row atomically with the change. A failure here must
    not undo the registry change, so it runs in a savepoint and the sweeper backfills the row."""
    try:
        with transaction.atomic():
            outbound_event_create(change_event=event)
    except Exception:
        logger.exception("Outbound row for change event %s not written; the sweeper will backfill it", event.pk)


def _kick() -> None:
    """After commit: make sure a delivery task is on its way. One pending kick is enough: the
    task clears ``KICK_KEY`` *before* it claims, so a commit that still finds the key set is
    committed before that claim and will be picked up by it. If Redis is unreachable nothing is
    lost; the sweeper finds the pending row."""
    from schoolsync.tasks import deliver  # the task module imports this one

    try:
        if cache.add(KICK_KEY, 1, timeout=KICK_TTL):
            deliver.delay()
    except Exception as exc:
        logger.warning("Could not queue a delivery (%s); the sweeper will deliver the pending events", exc)


def kick_clear() -> None:
    """Called by the delivery task before it claims (see ``_kick``)."""
    try:
        cache.delete(KICK_KEY)
    except Exception as exc:  # the task still claims; later commits kick again or the sweeper runs
        logger.warning("Could not clear the kick key: %s", exc)


def outbound_backfill(*, limit: int = 1000) -> int:
    """Create outbound rows for change events that have none (the signal was not connected, or
    its savepoint failed). Oldest first, one transaction per event."""
    missing = ChangeEvent.objects.filter(outbound__isnull=True).order_by("id").values_list("pk", flat=True)[:limit]
    created = 0
    for pk in list(missing):
        with transaction.atomic():
            change_event = ChangeEvent.objects.select_for_update().get(pk=pk)
            if not OutboundEvent.objects.filter(change_event=change_event).exists():
                outbound_event_create(change_event=change_event)
                created += 1
    return created


# --- Claiming --------------------------------------------------------------------------------


def _claimable(now: dt.datetime):
    earlier_open = OutboundEvent.objects.filter(
        person_id=OuterRef("person_id"), sequence__lt=OuterRef("sequence")
    ).exclude(status=Status.DELIVERED)
    return (
        OutboundEvent.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .exclude(Exists(earlier_open))
    )


def outbound_due_ids(*, limit: int = 1000) -> list[int]:
    """Ids of events a worker could deliver now (heads of their child's queue, due, unleased)."""
    return list(_claimable(timezone.now()).order_by("id").values_list("pk", flat=True)[:limit])


def outbound_claim_batch(*, limit: int = BATCH_SIZE) -> list[OutboundEvent]:
    """Lease up to ``limit`` deliverable events (at most one per child: only heads qualify),
    skipping rows another worker is claiming right now."""
    now = timezone.now()
    until = now + dt.timedelta(seconds=settings.EDU_SYNC_LEASE)
    with transaction.atomic():
        events = list(_claimable(now).order_by("id").select_for_update(skip_locked=True)[:limit])
        if events:
            OutboundEvent.objects.filter(pk__in=[e.pk for e in events]).update(
                claimed_until=until, attempts=F("attempts") + 1
            )
    for event in events:
        event.claimed_until, event.attempts = until, event.attempts + 1
    return events


def outbound_claim(*, outbound_id: int) -> OutboundEvent | None:
    """Lease one event for delivery, or None if it is not claimable now (delivered, leased by
    another worker, not due, or an earlier event of its child is still open)."""
    now = timezone.now()
    with transaction.atomic():
        event = _claimable(now).filter(pk=outbound_id).select_for_update(skip_locked=True).first()
        if event is None:
            return None
        event.claimed_until = now + dt.timedelta(seconds=settings.EDU_SYNC_LEASE)
        event.attempts = F("attempts") + 1
        event.save(update_fields=["claimed_until", "attempts"])
    event.refresh_from_db(fields=["attempts"])
    return event


# --- Sending ---------------------------------------------------------------------------------

_local = threading.local()


def _session() -> requests.Session:
    # One keep-alive connection per worker thread.
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def outbound_body(event: OutboundEvent) -> bytes:
    """The exact bytes sent (and signed): compact, sorted keys, UTF-8."""
    return json.dumps(event.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Attempt:
    delivered: bool
    status_code: int | None
    error: str


def _post(event: OutboundEvent) -> Attempt:
    body = outbound_body(event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Hukou-Event-Id": str(event.event_id),
        SIGNATURE_HEADER: signature_header(secret=settings.EDU_SYNC_SECRET, body=body),
    }
    timeout = (settings.EDU_SYNC_CONNECT_TIMEOUT, settings.EDU_SYNC_READ_TIMEOUT)
    try:
        response = _session().post(settings.EDU_SYNC_URL, data=body, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        _local.__dict__.pop("session", None)  # drop a connection in an unknown state
        return Attempt(False, None, f"{type(exc).__name__}: {exc}"[:2000])
    ok = 200 <= response.status_code < 300
    return Attempt(ok, response.status_code, "" if ok else f"HTTP {response.status_code}: {response.text[:500]}")


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: base·2^(n-1), capped, then a random 50–100 % of it so a
    recovering receiver is not hit by every failed event in the same second."""
    ceiling = min(settings.EDU_SYNC_BACKOFF_MAX, settings.EDU_SYNC_BACKOFF_BASE * 2 ** min(attempts - 1, 30))
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not security)


def _record(event: OutboundEvent, attempt: Attempt) -> str:
    now = timezone.now()
    mine = OutboundEvent.objects.filter(pk=event.pk, claimed_until=event.claimed_until)
    if attempt.delivered:
        # A 2xx is the truth whoever holds the lease now.
        OutboundEvent.objects.filter(pk=event.pk).exclude(status=Status.DELIVERED).update(
            status=Status.DELIVERED,
            delivered_at=now,
            claimed_until=None,
            last_status_code=attempt.status_code,
            last_error="",
        )
        return Status.DELIVERED
    code = attempt.status_code
    if code is not None and 400 <= code < 500 and code not in RETRYABLE_4XX:
        status, next_at = Status.PARKED, now
    elif (now - event.retry_since).total_seconds() >= settings.EDU_SYNC_RETRY_HORIZON:
        status, next_at = Status.EXHAUSTED, now
    else:
        status, next_at = Status.PENDING, now + dt.timedelta(seconds=backoff_seconds(event.attempts))
    mine.update(
        status=status, next_attempt_at=next_at, claimed_until=None, last_status_code=code, last_error=attempt.error
    )
    return status


def outbound_deliver(*, outbound_id: int) -> str | None:
    """Claim, POST and record one event. Returns the new status, or None if it was not claimable
    or no receiver is configured (then it simply stays pending)."""
    if not settings.EDU_SYNC_URL:
        return None
    event = outbound_claim(outbound_id=outbound_id)
    if event is None:
        return None
    return _record(event, _post(event))


def _record_delivered(events: list[OutboundEvent], attempts: list[Attempt]) -> None:
    # One UPDATE for every acknowledged event of the batch (a 2xx is the truth whoever holds
    # the lease now).
    done = [event.pk for event, attempt in zip(events, attempts, strict=True) if attempt.delivered]
    OutboundEvent.objects.filter(pk__in=done).exclude(status=Status.DELIVERED).update(
        status=Status.DELIVERED, delivered_at=timezone.now(), claimed_until=None, last_status_code=200, last_error=""
    )


def outbound_deliver_batch(*, limit: int = BATCH_SIZE) -> tuple[int, bool]:
    """Claim a batch of deliverable events, POST them one after another on a keep-alive
    connection, record the answers. Returns (how many were claimed, whether the batch was full,
    i.e. more may be waiting). Does nothing when no receiver is configured."""
    if not settings.EDU_SYNC_URL:
        return 0, False
    events = outbound_claim_batch(limit=limit)
    worst_case = dt.timedelta(seconds=settings.EDU_SYNC_CONNECT_TIMEOUT + settings.EDU_SYNC_READ_TIMEOUT)
    attempts: list[Attempt] = []
    for event in events:
        if timezone.now() + worst_case > event.claimed_until:
            break  # a slow receiver ate the lease: hand the rest back rather than race a new owner
        attempts.append(_post(event))
    sent, unsent = events[: len(attempts)], events[len(attempts) :]
    _record_delivered(sent, attempts)
    for event, attempt in zip(sent, attempts, strict=True):
        if not attempt.delivered:
            _record(event, attempt)
    if unsent:
        OutboundEvent.objects.filter(pk__in=[e.pk for e in unsent], claimed_until=unsent[0].claimed_until).update(
            claimed_until=None, attempts=F("attempts") - 1
        )
    return len(events), len(events) == limit


# --- Operators -------------------------------------------------------------------------------


def outbound_replay(*, ids: list[int]) -> int:
    """Put parked or exhausted events back to pending, due now, attempts reset; kick workers on
    commit. Delivered events are never resent by a replay. Returns how many were replayed."""
    with transaction.atomic():
        events = list(
            OutboundEvent.objects.select_for_update().filter(pk__in=ids, status__in=[Status.PARKED, Status.EXHAUSTED])
        )
        for event in events:
            event.status, event.attempts, event.claimed_until = Status.PENDING, 0, None
            event.next_attempt_at = timezone.now()
            # The retry horizon counts from the replay, not from the original change.
            event.retry_since = timezone.now()
            event.save(update_fields=["status", "attempts", "claimed_until", "next_attempt_at", "retry_since"])
            transaction.on_commit(_kick, robust=True)
    return len(events)
