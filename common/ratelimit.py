"""Fixed-window rate limits in the Django cache (Redis in production), for pages and the API.

A limit is named by a scope whose rate (e.g. ``30/min``) is in
``settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, read on every call so tests can lower it
with ``override_settings``. The same counter serves an HTML view (call ``rate_allowed``) and an
API view (``ScopedRateLimit`` subclasses), so switching channel never buys more attempts.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_of(scope: str) -> tuple[int, int]:
    """(requests, seconds) of ``scope``, from a rate such as ``30/min``."""
    count, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")
    return int(count), _PERIODS[period[0]]


def _window(scope: str) -> tuple[int, str, int]:
    limit, period = rate_of(scope)
    now = int(time.time())
    window = now // period
    return limit, str(window), (window + 1) * period - now


def rate_allowed(*, scope: str, key: str) -> tuple[bool, int]:
    """Count one attempt of ``key`` in ``scope``; returns (allowed, seconds until the window ends)."""
    limit, window, wait = _window(scope)
    cache_key = f"rate:{scope}:{key}:{window}"
    # Kept one period longer than its window, for ``rate_exhausted``'s look at the previous one.
    timeout = wait + rate_of(scope)[1] + 1
    cache.add(cache_key, 0, timeout=timeout)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        used = 1
    return used <= limit, wait


def rate_exhausted(*, scope: str, key: str) -> tuple[bool, int]:
    """Whether ``key`` has used up ``scope``, counting nothing; returns (exhausted, seconds until
    the current window ends). The previous window's count is added to the current one, so a
    burst cannot double its budget by straddling a window boundary."""
    limit, window, wait = _window(scope)
    previous = str(int(window) - 1)
    counts = cache.get_many([f"rate:{scope}:{key}:{window}", f"rate:{scope}:{key}:{previous}"])
    return sum(counts.values()) >= limit, wait


def client_ip(request) -> str:
    """The client's address: the peer (REMOTE_ADDR), or, behind ``TRUSTED_PROXY_HOPS`` reverse
    proxies that each append the address they saw to X-Forwarded-For, the entry that many
    places from the right (the one the outermost trusted proxy saw). Entries further left
    were written by the client and are never trusted. Off (0) by default."""
    hops = settings.TRUSTED_PROXY_HOPS
    remote = request.META.get("REMOTE_ADDR", "unknown")
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-hops] if len(forwarded) >= hops else remote


# --- Failed logins ---------------------------------------------------------------------------
# Every login door (the login page, the admin's login, the token API) shares these counters.
# Only failures count, per client address (scope ``login``) and per account name (scope
# ``login_account``), so staff sharing a station's one public address do not lock each other
# out at shift start, and one account cannot be tried from many addresses either.


def _account_key(username: str) -> str:
    digest = hashlib.sha256((username or "").strip().casefold().encode()).hexdigest()[:32]
    return f"user:{digest}"


def login_blocked(*, request, username: str) -> int:
    """Seconds to wait before this address or this account may try a password again (0: now)."""
    wait = 0
    for scope, key in (("login", f"ip:{client_ip(request)}"), ("login_account", _account_key(username))):
        exhausted, seconds = rate_exhausted(scope=scope, key=key)
        if exhausted:
            wait = max(wait, seconds)
    return wait


def login_failure_record(*, request, username: str) -> None:
    """Count one failed login against the address and the account."""
    if request is not None:
        rate_allowed(scope="login", key=f"ip:{client_ip(request)}")
    rate_allowed(scope="login_account", key=_account_key(username))


class ScopedRateLimit(BaseThrottle):
    """DRF throttle on ``rate_allowed``; subclasses set ``scope`` and may override ``key``.
    A refusal becomes HTTP 429 in the common error format."""

    scope = ""

    def key(self, request) -> str:
        return f"ip:{client_ip(request)}"

    def allow_request(self, request, view) -> bool:
        allowed, self._wait = rate_allowed(scope=self.scope, key=self.key(request))
        return allowed

    def wait(self) -> float:
        return float(getattr(self, "_wait", 60))


class LoginFailureLimit(BaseThrottle):
    """DRF throttle for an endpoint that takes a password: refuses (HTTP 429) while the address
    or the named account has too many recent failures. It counts nothing itself: failures are
    counted where authentication fails (``accounts.signals``), successes never."""

    def allow_request(self, request, view) -> bool:
        data = request.data if hasattr(request.data, "get") else {}
        self._wait = login_blocked(request=request, username=str(data.get("username") or ""))
        return not self._wait

    def wait(self) -> float:
        return float(getattr(self, "_wait", 60))
