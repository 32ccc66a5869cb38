"""Text messages to people (one-time codes, booking reminders, case notices).

One function, ``notification_send``, behind a backend chosen by the ``NOTIFY_BACKEND`` setting:

- ``console`` (the default): the message is written to the log, so the embedded default and
  a developer's laptop need no gateway;
- ``sms_gateway``: the message is POSTed as JSON to ``SMS_GATEWAY_URL`` with
  ``Authorization: Bearer SMS_GATEWAY_TOKEN``. A station's SMS provider sits behind that URL;
  ``manage.py run_fake_sms_gateway`` stands in for it in tests and demos.

Callers that must not send twice (reminders) keep their own row with a unique constraint and
call this only after they won that row; this module does not deduplicate.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("hukou.notifications")


class NotificationError(Exception):
    """The gateway refused the message or could not be reached; the caller decides whether to
    retry (a Celery task) or to tell the user."""


@dataclass(frozen=True)
class Notification:
    mobile: str
    text: str
    purpose: str  # "otp", "booking_reminder", ... (for the gateway's statistics and our logs)


def _console(message: Notification) -> None:
    logger.info("SMS to %s [%s]: %s", message.mobile, message.purpose, message.text)


def _sms_gateway(message: Notification) -> None:
    url = settings.SMS_GATEWAY_URL
    if not url:
        raise ImproperlyConfigured("NOTIFY_BACKEND=sms_gateway needs SMS_GATEWAY_URL")
    body = json.dumps({"mobile": message.mobile, "text": message.text, "purpose": message.purpose})
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    try:
        response = requests.post(url, data=body.encode(), headers=headers, timeout=settings.SMS_GATEWAY_TIMEOUT)
    except requests.RequestException as exc:
        raise NotificationError(f"SMS gateway unreachable: {exc}") from exc
    if response.status_code >= 300:
        raise NotificationError(f"SMS gateway answered {response.status_code}: {response.text[:200]}")


BACKENDS = {"console": _console, "sms_gateway": _sms_gateway}


def notification_send(*, mobile: str, text: str, purpose: str) -> None:
    """Sends one text message through the configured backend. Raises ``NotificationError`` when
    the gateway refuses or cannot be reached. Call it outside database transactions (it may wait
    on the network) or from a task."""
    try:
        backend = BACKENDS[settings.NOTIFY_BACKEND]
    except KeyError:
        raise ImproperlyConfigured(
            f"NOTIFY_BACKEND={settings.NOTIFY_BACKEND!r}; choose one of {sorted(BACKENDS)}"
        ) from None
    backend(Notification(mobile=mobile, text=text, purpose=purpose))
