"""One rate limit for school lookups, shared by the HTML page and the API (scope
``school_lookup``, one budget per user), so switching channel does not help anyone enumerate ID
numbers. Built on the shared limiter in ``common.ratelimit``."""

from __future__ import annotations

from common.ratelimit import ScopedRateLimit, rate_allowed

SCOPE = "school_lookup"


def lookup_allowed(user) -> tuple[bool, int]:
    """Count one lookup by ``user``; returns (allowed, seconds until the window ends)."""
    return rate_allowed(scope=SCOPE, key=f"user:{user.pk}")


class SchoolLookupThrottle(ScopedRateLimit):
    scope = SCOPE

    def key(self, request) -> str:
        return f"user:{request.user.pk}"
