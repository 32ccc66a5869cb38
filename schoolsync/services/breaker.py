"""Protecting the receiver: a connection limit and a circuit breaker shared by every worker.

* **Connection limit.** At most ``EDU_SYNC_MAX_CONNECTIONS`` POSTs are in flight to one receiver,
  whatever the number of worker processes: each POST holds a slot, a Redis sorted set member whose
  score is its expiry (so a killed worker's slots free themselves after one lease).
* **Circuit breaker.** Every answer is an outcome: 2xx and 4xx say the receiver is up; 5xx, a
  timeout or a dropped connection say it is not. When at least ``BREAKER_FAILURE_RATIO`` (19 of 20) of
  the last ``BREAKER_WINDOW`` outcomes failed, the breaker opens for ``EDU_SYNC_BREAKER_OPEN`` seconds,
  doubling on each re-open up to ``EDU_SYNC_BREAKER_MAX_OPEN``. While open nothing is posted (no
  attempt is spent, no backoff grows); afterwards a few POSTs probe, and the first success closes
  it. A flaky receiver (45 % of answers failing: 19 of 20 happens about once in 300,000
  windows) practically never opens it; a dead one opens it within a
  window's worth of POSTs instead of every child timing out in turn.

With ``REDIS_URL`` the state lives in Redis and is shared by all processes; without it (embedded
default, one process) it lives in memory. Redis errors never stop delivery: the limit then
admits, the breaker stays closed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import uuid

from django.conf import settings

logger = logging.getLogger(__name__)

BREAKER_WINDOW = 20
BREAKER_MIN_OUTCOMES = 20
BREAKER_FAILURE_RATIO = 0.95

_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
local n = math.min(free, tonumber(ARGV[3]))
for i = 1, n do redis.call('ZADD', KEYS[1], ARGV[4], ARGV[5] .. ':' .. i) end
if n > 0 then redis.call('EXPIRE', KEYS[1], 3600) end
return math.max(n, 0)
"""


def _prefix() -> str:
    digest = hashlib.sha1(settings.EDU_SYNC_URL.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"schoolsync:receiver:{digest}"


class _Memory:
    """The embedded default's state: one process, so a lock and a dict do."""

    lock = threading.Lock()
    slots: dict[str, float] = {}
    outcomes: list[int] = []
    open_until = 0.0
    trips = 0


_redis_client = None


def _redis():
    global _redis_client
    if not settings.REDIS_URL:
        return None
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)
    return _redis_client


# --- Connection limit ------------------------------------------------------------------------


def slots_acquire(*, wanted: int, ttl: float) -> list[str]:
    """Take up to ``wanted`` connection slots to the receiver for ``ttl`` seconds; returns their
    tokens (possibly none). Give each back with ``slots_release`` once its POST is answered."""
    if wanted <= 0:
        return []
    now, token = time.time(), uuid.uuid4().hex
    limit = settings.EDU_SYNC_MAX_CONNECTIONS
    client = _redis()
    if client is None:
        with _Memory.lock:
            _Memory.slots = {k: v for k, v in _Memory.slots.items() if v > now}
            n = max(0, min(wanted, limit - len(_Memory.slots)))
            for i in range(1, n + 1):
                _Memory.slots[f"{token}:{i}"] = now + ttl
        return [f"{token}:{i}" for i in range(1, n + 1)]
    try:
        n = int(client.eval(_ACQUIRE, 1, f"{_prefix()}:slots", now, limit, wanted, now + ttl, token))
    except Exception as exc:
        logger.warning("Connection limit unavailable (%s); posting without it", exc)
        return [f"{token}:{i}" for i in range(1, wanted + 1)]
    return [f"{token}:{i}" for i in range(1, n + 1)]


def slots_release(tokens: list[str]) -> None:
    if not tokens:
        return
    client = _redis()
    if client is None:
        with _Memory.lock:
            for t in tokens:
                _Memory.slots.pop(t, None)
        return
    try:
        client.zrem(f"{_prefix()}:slots", *tokens)
    except Exception as exc:  # they expire on their own
        logger.warning("Could not release connection slots: %s", exc)


# --- Circuit breaker -------------------------------------------------------------------------


def breaker_state() -> tuple[str, float]:
    """``("closed", 0)``, ``("open", until)`` (post nothing before ``until``, a Unix time), or
    ``("probing", 0)``: the pause is over, post a little; one success closes, one failure re-opens."""
    client = _redis()
    if client is None:
        open_until, trips = _Memory.open_until, _Memory.trips
    else:
        try:
            open_until, trips = client.mget(f"{_prefix()}:open-until", f"{_prefix()}:trips")
        except Exception:
            return "closed", 0.0
        open_until = float(open_until or 0)
    if not trips:
        return "closed", 0.0
    if open_until > time.time():
        return "open", open_until
    return "probing", 0.0


def _open_seconds(trips: int) -> float:
    return min(settings.EDU_SYNC_BREAKER_MAX_OPEN, settings.EDU_SYNC_BREAKER_OPEN * 2 ** min(trips - 1, 20))


def _tripped(outcomes: list[int]) -> bool:
    return len(outcomes) >= BREAKER_MIN_OUTCOMES and sum(outcomes) / len(outcomes) >= BREAKER_FAILURE_RATIO


def breaker_record(*, failures: int, successes: int) -> str | None:
    """Feed the answers just received into the breaker. Returns ``"opened"`` when this call opened
    it, ``"closed"`` when a success closed it after it had been open, else None."""
    if not failures and not successes:
        return None
    client = _redis()
    if client is None:
        return _memory_record(failures, successes)
    key = _prefix()
    try:
        pipe = client.pipeline()
        pipe.lpush(f"{key}:outcomes", *([1] * failures + [0] * successes))
        pipe.ltrim(f"{key}:outcomes", 0, BREAKER_WINDOW - 1)
        pipe.lrange(f"{key}:outcomes", 0, -1)
        pipe.get(f"{key}:open-until")
        pipe.get(f"{key}:trips")
        *_, outcomes, open_until, trips = pipe.execute()
        if trips and successes:
            client.delete(f"{key}:outcomes", f"{key}:open-until", f"{key}:trips")
            return "closed"
        if open_until and float(open_until) > time.time():
            return None  # already open
        if not (trips or _tripped([int(x) for x in outcomes])):
            return None
        trips = client.incr(f"{key}:trips")
        client.expire(f"{key}:trips", 3600)
        client.set(f"{key}:open-until", time.time() + _open_seconds(trips), ex=3600)
        client.delete(f"{key}:outcomes")
    except Exception as exc:
        logger.warning("Circuit breaker unavailable (%s); it stays closed", exc)
        return None
    return "opened"


def _memory_record(failures: int, successes: int) -> str | None:
    with _Memory.lock:
        _Memory.outcomes = ([1] * failures + [0] * successes + _Memory.outcomes)[:BREAKER_WINDOW]
        if _Memory.trips and successes:
            _Memory.outcomes, _Memory.open_until, _Memory.trips = [], 0.0, 0
            return "closed"
        if _Memory.open_until > time.time() or not (_Memory.trips or _tripped(_Memory.outcomes)):
            return None
        _Memory.trips += 1
        _Memory.open_until = time.time() + _open_seconds(_Memory.trips)
        _Memory.outcomes = []
    return "opened"


def breaker_reset() -> None:
    """Forget the breaker and the slots (tests, and an operator after fixing the receiver)."""
    with _Memory.lock:
        _Memory.slots, _Memory.outcomes, _Memory.open_until, _Memory.trips = {}, [], 0.0, 0
    client = _redis()
    if client is not None:
        key = _prefix()
        client.delete(f"{key}:outcomes", f"{key}:open-until", f"{key}:trips", f"{key}:slots")
