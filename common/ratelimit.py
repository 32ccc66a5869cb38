"""Fixed-window rate limits in the Django cache (Redis in production), for pages and the API.

A limit is named by a scope whose rate (e.g. ``30/min``) is in
``settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, read on every call so tests can lower it
with ``override_settings``. The same counter serves an HTML view (call ``rate_allowed``) and an
API view (``ScopedRateLimit`` subclasses), so switching channel never buys more attempts.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_of(scope: str) -> tuple[int, int]:
    """(requests, seconds) of ``scope``, from a rate such as ``30/min``."""
    count, period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")
    return int(count), _PERIODS[period[0]]


def rate_allowed(*, scope: str, key: str) -> tuple[bool, int]:
    """Count one attempt of ``key`` in ``scope``; returns (allowed, seconds until the window ends)."""
    limit, period = rate_of(scope)
    now = int(time.time())
    window = now // period
    cache_key = f"rate:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        used = 1
    return used <= limit, (window + 1) * period - now


def client_ip(request) -> str:
    """The peer address. Behind a proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn's
    --forwarded-allow-ips with a trusted proxy); a client-sent X-Forwarded-For is not trusted."""
    return request.META.get("REMOTE_ADDR", "unknown")


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
