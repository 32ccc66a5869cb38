"""Running deliveries concurrently: one slow answer costs only its own child.

``outbound_dispatch`` is what a delivery task does. The calling thread owns the database (one
connection per worker process, whatever the width); a bounded thread pool does only HTTP:

1. lease the heads of children's queues, as many as there are free connection slots
   (``EDU_SYNC_CONCURRENCY`` per process, ``EDU_SYNC_MAX_CONNECTIONS`` per receiver overall);
2. POST them in the pool; each answer is recorded the moment it arrives (``outbound_record``),
   and an acknowledged child's next event is leased in the same transaction and posted on the
   same connection slot at once: a child's backlog drains at the receiver's pace;
3. a timeout or a dropped connection holds one slot for its timeout, nobody else's;
4. the circuit breaker (``schoolsync.services.breaker``) stops posting when the receiver is
   down; leased events are handed back unsent and the run ends, telling the caller when to
   probe again. When a probe succeeds, every pending retry is made due at once.

A run ends when its budget is spent (in-flight POSTs are still recorded) or when nothing is due
within ``idle_wait`` seconds. It is safe to run in any number of processes at once: leases are
exclusive, order per child holds because only a child's head can be leased.
"""

from __future__ import annotations

import queue
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from schoolsync.models import OutboundEvent
from schoolsync.services.breaker import breaker_record, breaker_state, slots_acquire, slots_release
from schoolsync.services.delivery import (
    Attempt,
    outbound_claim_batch,
    outbound_due_now,
    outbound_next_due,
    outbound_post,
    outbound_record,
    outbound_release,
)

# How often an idle run looks for new work (a commit's kick also starts a task at once).
POLL_SECONDS = 0.1

# How long an idle run waits for new commits before it ends (a worker process is held that long).
LINGER_SECONDS = 2.0

_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    # One pool per process, created on first use (after a prefork worker forked).
    global _pool
    if _pool is None or _pool._max_workers < settings.EDU_SYNC_CONCURRENCY:
        _pool = ThreadPoolExecutor(max_workers=settings.EDU_SYNC_CONCURRENCY, thread_name_prefix="edu-sync")
    return _pool


@dataclass
class DispatchResult:
    attempted: int = 0
    delivered: int = 0
    # Unix time until which the breaker is open, when the run ended because of it.
    breaker_open_until: float = 0.0
    # The budget ran out while events were still due.
    more: bool = False
    # The first lease filled every slot: a backlog (the caller may bring in another process).
    busy: bool = False


class _Run:
    def __init__(self, *, budget: float, idle_wait: float) -> None:
        self.deadline = time.monotonic() + budget
        self.idle_wait = idle_wait
        self.answers: queue.SimpleQueue = queue.SimpleQueue()
        self.in_flight: dict[int, str] = {}  # event pk -> connection slot token
        self.result = DispatchResult()
        self.first_lease = True
        self.next_fill = 0.0
        self.idle_since: float | None = None

    def budget_left(self) -> bool:
        return time.monotonic() < self.deadline

    def submit(self, event: OutboundEvent, token: str) -> None:
        self.in_flight[event.pk] = token
        self.result.attempted += 1
        _executor().submit(self._post, event)

    def _post(self, event: OutboundEvent) -> None:
        try:
            attempt = outbound_post(event)
        except Exception as exc:  # a bug, not a network fault: still an answer, so no lease leaks
            attempt = Attempt(False, None, f"{type(exc).__name__}: {exc}"[:2000], timezone.now(), 0)
        self.answers.put((event, attempt))

    def collect(self, wait: float) -> list[tuple[OutboundEvent, Attempt]]:
        results = []
        try:
            results.append(self.answers.get(timeout=wait) if wait > 0 else self.answers.get_nowait())
            while True:
                results.append(self.answers.get_nowait())
        except queue.Empty:
            pass
        return results

    def record(self, results: list[tuple[OutboundEvent, Attempt]], *, follow: bool) -> None:
        statuses, followers = outbound_record(results=results, follow=follow)
        self.result.delivered += sum(status == OutboundEvent.Status.DELIVERED for status in statuses)
        down = sum(attempt.receiver_down for _, attempt in results)
        if breaker_record(failures=down, successes=len(results) - down) == "closed":
            outbound_due_now()
        done_tokens, go_on = [], bool(followers) and breaker_state()[0] == "closed"
        for event, _attempt in results:
            token = self.in_flight.pop(event.pk)
            follower = followers.pop(event.person_id, None)
            if follower is not None and go_on:
                self.submit(follower, token)  # the child's next event, on the same slot
            else:
                done_tokens.append(token)
                if follower is not None:
                    outbound_release(events=[follower])
        slots_release(done_tokens)

    def fill(self, width: int) -> int:
        """Lease heads for the free slots. After a lease that found less than it could take,
        wait a poll interval before asking again (the claim query is not free)."""
        wanted = width - len(self.in_flight)
        if wanted <= 0 or time.monotonic() < self.next_fill:
            return 0
        tokens = slots_acquire(wanted=wanted, ttl=settings.EDU_SYNC_LEASE)
        events = outbound_claim_batch(limit=len(tokens)) if tokens else []
        if self.first_lease and tokens:
            self.result.busy, self.first_lease = len(events) >= settings.EDU_SYNC_CONCURRENCY, False
        for event, token in zip(events, tokens, strict=False):
            self.submit(event, token)
        slots_release(tokens[len(events) :])
        if len(events) < wanted:
            self.next_fill = time.monotonic() + POLL_SECONDS
        return len(events)

    def idle_should_end(self) -> bool:
        """Nothing to post right now. Stay (polling) for a retry due within ``idle_wait``, and
        with nothing pending at all for a short linger, so a steady trickle of commits is served
        by this run instead of each waiting for a fresh task to start."""
        due = outbound_next_due()
        if due is None:
            if self.idle_since is None:
                self.idle_since = time.monotonic()
            return time.monotonic() - self.idle_since >= min(self.idle_wait, LINGER_SECONDS)
        wait = (due - timezone.now()).total_seconds()
        return wait > self.idle_wait or time.monotonic() + max(wait, 0) > self.deadline


def outbound_dispatch(*, budget: float, idle_wait: float = 0.0) -> DispatchResult:
    """Deliver until the budget is spent, the breaker opens, or nothing is due within
    ``idle_wait`` seconds. Does nothing when no receiver is configured. Never holds a
    transaction across HTTP; answers are recorded one short transaction per arrival."""
    if not settings.EDU_SYNC_URL:
        return DispatchResult()
    run = _Run(budget=budget, idle_wait=idle_wait)
    while True:
        results = run.collect(POLL_SECONDS if run.in_flight else 0)
        if results:
            run.record(results, follow=run.budget_left())
        state, until = breaker_state()
        if state == "open":
            if not run.in_flight:
                run.result.breaker_open_until = until
                return run.result
            continue  # let the POSTs already out finish and be recorded
        width = 1 if state == "probing" else settings.EDU_SYNC_CONCURRENCY
        leased = run.fill(width) if run.budget_left() else 0
        if run.in_flight or leased or results:
            run.idle_since = None
            continue
        if not run.budget_left():
            run.result.more = outbound_next_due() is not None
            return run.result
        if run.idle_should_end():
            return run.result
        time.sleep(POLL_SECONDS)
