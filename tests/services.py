"""Which real services the test run has, and the switch that makes a missing one a failure.

Tests that need PostgreSQL, Redis or Chromium carry the marker ``postgres``, ``redis`` or
``browser``. On a fresh laptop (embedded SQLite, no Redis) they are skipped with a reason that
``-ra`` prints. With ``HUKOU_REQUIRE_SERVICES=1`` (set by CI) a missing service fails the test
instead, so CI can never go green by skipping.
"""

from __future__ import annotations

import functools
import os
import shutil

from django.conf import settings
from django.db import connection

REQUIRE_SERVICES = os.environ.get("HUKOU_REQUIRE_SERVICES", "") in {"1", "true", "yes"}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def postgres_missing() -> str | None:
    if connection.vendor != "postgresql":
        return "DATABASE_URL does not point at PostgreSQL (running on the embedded SQLite)"
    return None


@functools.cache
def redis_missing() -> str | None:
    url = settings.REDIS_URL
    if not url:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {url} does not answer: {exc}"
    return None


def browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


def pdftools_missing() -> str | None:
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdfinfo") if shutil.which(tool) is None]
    return f"{', '.join(missing)} missing (apt-get install poppler-utils)" if missing else None


CHECKS = {
    "postgres": postgres_missing,
    "redis": redis_missing,
    "browser": browser_missing,
    "pdftools": pdftools_missing,
}
