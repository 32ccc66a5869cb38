"""One rate limit for school lookups, shared by the HTML page and the API.

The rate is the DRF throttle rate of scope ``school_lookup`` (settings.REST_FRAMEWORK), read on
every call so that tests can lower it with ``override_settings``. The counter lives in the
Django cache (Redis in production), one fixed window per user: the page and the API spend the
same budget, so switching channel does not help anyone enumerate ID numbers.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

SCOPE = "school_lookup"
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def lookup_rate() -> tuple[int, int]:
    """(requests, seconds) from a rate such as ``30/min``."""
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][SCOPE]
    count, period = rate.split("/")
    return int(count), _PERIODS[period[0]]


def lookup_allowed(user) -> tuple[bool, int]:
    """Count one lookup by ``user``; returns (allowed, seconds until the window ends)."""
    limit, period = lookup_rate()
    now = int(time.time())
    window = now // period
    key = f"{SCOPE}:{user.pk}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        used = 1
    return used <= limit, (window + 1) * period - now


class SchoolLookupThrottle(BaseThrottle):
    """DRF throttle backed by ``lookup_allowed``; a refusal becomes HTTP 429 in the Chinese error format."""

    def allow_request(self, request, view) -> bool:
        allowed, self._wait = lookup_allowed(request.user)
        return allowed

    def wait(self) -> float:
        return float(getattr(self, "_wait", 60))
