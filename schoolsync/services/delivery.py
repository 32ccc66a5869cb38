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
  during the request, and a killed worker's claim simply expires (and is logged as a lost attempt).
* **The next event follows its acknowledgement.** ``outbound_record`` writes each answer as it
  arrives and, in the same short transaction, leases the child's next event, so a child's backlog
  moves at the receiver's pace, not the sweeper's (``schoolsync.services.dispatch`` runs the POSTs).
* **School age only.** Only events of a child aged ``EDU_SYNC_MIN_AGE``..``EDU_SYNC_MAX_AGE`` at the
  change get a row; an adult's data never leaves.
* **History is appended.** Every POST is a ``DeliveryAttempt`` row; a replay never resets it.

This module never imports ``schoolsync.tasks`` (the tasks import it): the kick finds the delivery
task by name in Celery's registry.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
import time
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
from schoolsync.models import DeliveryAttempt, OutboundDecision, OutboundEvent
from schoolsync.receiver.signing import SIGNATURE_HEADER, signature_header
from schoolsync.school_age import is_school_age, school_age_q

logger = logging.getLogger(__name__)
Status = OutboundEvent.Status

# 4xx answers that mean "try again later" rather than "this event is wrong".
RETRYABLE_4XX = frozenset({408, 425, 429})
BATCH_SIZE = 50
Outcome = DeliveryAttempt.Outcome
# The delivery task, looked up by name so this module needs no import of schoolsync.tasks.
DELIVER_TASK = "schoolsync.deliver"
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


def outbound_event_create(*, change_event: ChangeEvent) -> OutboundEvent | None:
    """Write the outbound row of ``change_event`` in the caller's transaction; None (and nothing
    written) when the person was not of school age at the change: adults are never sent.

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
    if not is_school_age(person, on=timezone.localdate(change_event.occurred_at)):
        return None
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
        "occurred_at": timezone.localtime(occurred_at).isoformat(),  # +08:00, as documented
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


def outbound_kick() -> None:
    """Make sure a delivery task is on its way (see ``_kick``); the sweeper calls it."""
    _kick()


def _kick() -> None:
    """After commit: make sure a delivery task is on its way. One pending kick is enough: the
    task clears ``KICK_KEY`` *before* it claims, so a commit that still finds the key set is
    committed before that claim and will be picked up by it. If Redis is unreachable nothing is
    lost; the sweeper finds the pending row."""
    from celery import current_app

    try:
        if cache.add(KICK_KEY, 1, timeout=KICK_TTL):
            current_app.tasks[DELIVER_TASK].delay()
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
    its savepoint failed). Oldest first, one transaction per event. Only people of school age
    today are looked at (adults have no row on purpose); the exact rule, age at the change, is
    applied by ``outbound_event_create``."""
    missing = (
        ChangeEvent.objects.filter(outbound__isnull=True)
        .filter(school_age_q(on=timezone.localdate(), prefix="person__"))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    created = 0
    for pk in list(missing):
        with transaction.atomic():
            change_event = ChangeEvent.objects.select_for_update().get(pk=pk)
            if not OutboundEvent.objects.filter(change_event=change_event).exists():
                created += outbound_event_create(change_event=change_event) is not None
    return created


# --- Claiming --------------------------------------------------------------------------------


def _heads(now: dt.datetime):
    """Pending, unleased events with no earlier undelivered event of their child, due or not."""
    earlier_open = OutboundEvent.objects.filter(
        person_id=OuterRef("person_id"), sequence__lt=OuterRef("sequence")
    ).exclude(status=Status.DELIVERED)
    return (
        OutboundEvent.objects.filter(status=Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .exclude(Exists(earlier_open))
    )


def _claimable(now: dt.datetime):
    return _heads(now).filter(next_attempt_at__lte=now)


def outbound_due_ids(*, limit: int = 1000) -> list[int]:
    """Ids of events a worker could deliver now (heads of their child's queue, due, unleased)."""
    return list(_claimable(timezone.now()).order_by("id").values_list("pk", flat=True)[:limit])


def _lease(queryset, *, limit: int, now: dt.datetime) -> list[OutboundEvent]:
    """In the caller's transaction: lock up to ``limit`` rows (skipping rows another worker is
    claiming), log a lost attempt for each whose previous lease ran out unanswered, lease them."""
    until = now + dt.timedelta(seconds=settings.EDU_SYNC_LEASE)
    events = list(queryset.order_by("id").select_for_update(skip_locked=True)[:limit])
    if not events:
        return []
    lost = [e for e in events if e.claimed_until is not None]
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(
            event=e,
            started_at=e.claimed_until - dt.timedelta(seconds=settings.EDU_SYNC_LEASE),
            outcome=Outcome.LOST,
            error="The lease ran out without an answer being recorded (worker stopped or too slow).",
        )
        for e in lost
    )
    OutboundEvent.objects.filter(pk__in=[e.pk for e in events]).update(claimed_until=until, attempts=F("attempts") + 1)
    for event in events:
        event.claimed_until, event.attempts = until, event.attempts + 1
    return events


def outbound_claim_batch(*, limit: int = BATCH_SIZE) -> list[OutboundEvent]:
    """Lease up to ``limit`` deliverable events (at most one per child: only heads qualify),
    skipping rows another worker is claiming right now."""
    now = timezone.now()
    with transaction.atomic():
        return _lease(_claimable(now), limit=limit, now=now)


def outbound_claim(*, outbound_id: int) -> OutboundEvent | None:
    """Lease one event for delivery, or None if it is not claimable now (delivered, leased by
    another worker, not due, or an earlier event of its child is still open)."""
    now = timezone.now()
    with transaction.atomic():
        events = _lease(_claimable(now).filter(pk=outbound_id), limit=1, now=now)
    return events[0] if events else None


def outbound_release(*, events: list[OutboundEvent]) -> None:
    """Hand leased events back unsent (breaker open, budget spent): due now, attempt not counted."""
    for event in events:
        OutboundEvent.objects.filter(pk=event.pk, claimed_until=event.claimed_until).update(
            claimed_until=None, attempts=F("attempts") - 1
        )


def outbound_due_now() -> int:
    """The receiver is back (the breaker closed): make every pending retry due now instead of at
    the end of a backoff that only grew because the receiver was down."""
    now = timezone.now()
    return OutboundEvent.objects.filter(status=Status.PENDING, next_attempt_at__gt=now).update(next_attempt_at=now)


def outbound_next_due() -> dt.datetime | None:
    """When the earliest deliverable event becomes due (None: nothing will be, e.g. only events
    waiting behind a parked one of their child, which must not keep a worker polling)."""
    return _heads(timezone.now()).order_by("next_attempt_at").values_list("next_attempt_at", flat=True).first()


# --- Sending ---------------------------------------------------------------------------------

_local = threading.local()


def _session() -> requests.Session:
    # One keep-alive connection per sending thread.
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
    started_at: dt.datetime | None = None
    duration_ms: int | None = None

    @property
    def receiver_down(self) -> bool:
        """What the circuit breaker counts as a failure: no answer, or a 5xx."""
        return self.status_code is None or self.status_code >= 500


def outbound_post(event: OutboundEvent) -> Attempt:
    """POST one event, signed; never raises for a network fault (it is an Attempt). Thread-safe:
    touches no database, so the dispatcher runs it in its pool."""
    body = outbound_body(event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Hukou-Event-Id": str(event.event_id),
        SIGNATURE_HEADER: signature_header(secret=settings.EDU_SYNC_SECRET, body=body),
    }
    timeout = (settings.EDU_SYNC_CONNECT_TIMEOUT, settings.EDU_SYNC_READ_TIMEOUT)
    started, clock = timezone.now(), time.monotonic()

    def took() -> int:
        return int((time.monotonic() - clock) * 1000)

    try:
        response = _session().post(settings.EDU_SYNC_URL, data=body, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        _local.__dict__.pop("session", None)  # drop a connection in an unknown state
        return Attempt(False, None, f"{type(exc).__name__}: {exc}"[:2000], started, took())
    ok = 200 <= response.status_code < 300
    error = "" if ok else f"HTTP {response.status_code}: {response.text[:500]}"
    return Attempt(ok, response.status_code, error, started, took())


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: base·2^(n-1), capped, then a random 50–100 % of it so a
    recovering receiver is not hit by every failed event in the same second."""
    ceiling = min(settings.EDU_SYNC_BACKOFF_MAX, settings.EDU_SYNC_BACKOFF_BASE * 2 ** min(attempts - 1, 30))
    return ceiling * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not security)


# --- Recording answers -----------------------------------------------------------------------

_OUTCOME = {Status.DELIVERED: Outcome.DELIVERED, Status.PENDING: Outcome.RETRY}


def _record_one(event: OutboundEvent, attempt: Attempt, now: dt.datetime) -> str:
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
    OutboundEvent.objects.filter(pk=event.pk, claimed_until=event.claimed_until).update(
        status=status, next_attempt_at=next_at, claimed_until=None, last_status_code=code, last_error=attempt.error
    )
    return status


def outbound_record(
    *, results: list[tuple[OutboundEvent, Attempt]], follow: bool = True
) -> tuple[list[str], dict[int, OutboundEvent]]:
    """Record answers as they come, in one short transaction: each event's new status and an
    attempt row; then, if ``follow``, lease the next event of every child whose event was just
    acknowledged, so it can leave at once (order kept: it is that child's head only now).
    Returns (the new status of each result, {person id: leased next event})."""
    now = timezone.now()
    with transaction.atomic():
        statuses = [_record_one(event, attempt, now) for event, attempt in results]
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                event_id=event.pk,
                started_at=attempt.started_at or now,
                duration_ms=attempt.duration_ms,
                status_code=attempt.status_code,
                outcome=_OUTCOME.get(status, status),
                error=attempt.error,
            )
            for (event, attempt), status in zip(results, statuses, strict=True)
        )
        acknowledged = [event.person_id for (event, attempt) in results if attempt.delivered]
        followers = []
        if follow and acknowledged:
            queryset = _claimable(now).filter(person_id__in=acknowledged)
            followers = _lease(queryset, limit=len(acknowledged), now=now)
    return statuses, {event.person_id: event for event in followers}


def outbound_deliver(*, outbound_id: int) -> str | None:
    """Claim, POST and record one event. Returns the new status, or None if it was not claimable
    or no receiver is configured (then it simply stays pending)."""
    if not settings.EDU_SYNC_URL:
        return None
    event = outbound_claim(outbound_id=outbound_id)
    if event is None:
        return None
    statuses, _ = outbound_record(results=[(event, outbound_post(event))], follow=False)
    return statuses[0]


# --- Operators -------------------------------------------------------------------------------


def outbound_replay(*, ids: list[int], actor=None, reason: str = "") -> int:
    """Put parked or exhausted events back to pending, due now; kick workers on commit. Their
    attempts and errors stay (a decision row records who replayed, when and why). Delivered
    events are never resent by a replay. Returns how many were replayed."""
    with transaction.atomic():
        events = list(
            OutboundEvent.objects.select_for_update().filter(pk__in=ids, status__in=[Status.PARKED, Status.EXHAUSTED])
        )
        for event in events:
            OutboundDecision.objects.create(
                event=event, kind=OutboundDecision.Kind.REPLAY, actor=actor, reason=reason, previous_status=event.status
            )
            outbound_requeue(event=event)
    return len(events)


def outbound_requeue(*, event: OutboundEvent) -> None:
    """In the caller's transaction (row locked): pending, due now, retry horizon restarted."""
    event.status, event.claimed_until = Status.PENDING, None
    event.next_attempt_at = event.retry_since = timezone.now()
    event.save(update_fields=["status", "claimed_until", "next_attempt_at", "retry_since", "payload"])
    transaction.on_commit(_kick, robust=True)
