"""The signature of a sync request: Stripe's scheme, HMAC-SHA256 over ``"<t>.<body>"``.

Header: ``Hukou-Signature: t=<unix seconds>,v1=<hex digest>``. Several ``v1`` entries may be
present while a secret is rotated; one matching entry is enough.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Hukou-Signature"
DEFAULT_TOLERANCE = 300


class SignatureError(ValueError):
    """The signature header is missing, malformed, stale or does not match."""


def signature_compute(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else timestamp
    return f"t={stamp},v1={signature_compute(secret=secret, timestamp=stamp, body=body)}"


def signature_verify(
    *, secret: str, header: str | None, body: bytes, tolerance: int = DEFAULT_TOLERANCE, now: float | None = None
) -> int:
    """Return the signed timestamp, or raise ``SignatureError``. Compares in constant time and
    refuses timestamps more than ``tolerance`` seconds away from ``now`` (replayed requests)."""
    if not header:
        raise SignatureError("missing signature header")
    timestamp, candidates = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        raise SignatureError("malformed signature header")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = signature_compute(secret=secret, timestamp=timestamp, body=body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureError("signature does not match")
    return timestamp
