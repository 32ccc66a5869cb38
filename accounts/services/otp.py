"""One-time codes sent by text message: prove that a person holds a mobile number.

Guarantees: only a keyed hash of the code is stored; a code expires after ``OTP_TTL_SECONDS``;
it allows ``OTP_MAX_ATTEMPTS`` wrong tries and is then dead; it is used once; sending is
rate-limited per mobile number and per client address (scope ``otp_send``), and a new code
replaces the previous one for the same number and purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OneTimeCode
from common.notifications import notification_send
from common.ratelimit import rate_allowed


class CodeRateLimited(Exception):
    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


def _hash(*, mobile: str, purpose: str, code: str) -> str:
    message = f"{mobile}:{purpose}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def otp_send(*, mobile: str, purpose: str, client_key: str) -> None:
    """Creates a code for ``mobile`` and texts it. Raises ``CodeRateLimited`` (nothing sent)
    when the number or the address asked too often, ``NotificationError`` when the gateway
    refused (the code is then void). The text goes out after the row committed, outside the
    transaction on purpose: a slow gateway must not hold a database transaction open."""
    for key in (f"mobile:{mobile}", f"client:{client_key}"):
        allowed, wait = rate_allowed(scope="otp_send", key=key)
        if not allowed:
            raise CodeRateLimited(wait)
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(expires_at=now)
        row = OneTimeCode.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=_hash(mobile=mobile, purpose=purpose, code=code),
            expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
        )
    minutes = max(1, settings.OTP_TTL_SECONDS // 60)
    text = _(
        "[Hukou e-Window] Your verification code is %(code)s, valid for %(minutes)s minutes. Never tell it to anyone."
    ) % {
        "code": code,
        "minutes": minutes,
    }
    try:
        notification_send(mobile=mobile, text=text, purpose="otp")
    except Exception:
        OneTimeCode.objects.filter(pk=row.pk).update(expires_at=timezone.now())
        raise


def otp_verify(*, mobile: str, purpose: str, code: str) -> None:
    """Consumes the current code for ``mobile`` if ``code`` is right. Raises ValidationError
    otherwise. Runs in its own transaction, which commits the failed-attempt count even when
    the caller then refuses the whole request: call it before, not inside, the caller's
    transaction. The row lock makes two simultaneous tries count twice and succeed once."""
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            OneTimeCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if row is None or row.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise ValidationError(
                _("The verification code has expired or was not requested; please request a new one."),
                code="otp_expired",
            )
        if not hmac.compare_digest(row.code_hash, _hash(mobile=mobile, purpose=purpose, code=code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = settings.OTP_MAX_ATTEMPTS - row.attempts
            if left <= 0:
                message = _("The verification code is wrong and is now void; please request a new one.")
            else:
                message = _("The verification code is wrong; %(left)s attempts left.") % {"left": left}
            # Returned rather than raised inside the block, so the attempt count commits.
            error = ValidationError(message, code="otp_wrong")
        else:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            error = None
    if error is not None:
        raise error
