"""Publishing to displays and phones over the channel layer, always after commit.

Group names: ``station.<id>`` (displays and phone pages of one station). Messages are small
dicts; consumers forward them to the browser as JSON. A publish that fails (Redis down) is only
logged: the call itself is committed and a display catches up from ``TicketCall`` rows when it
reconnects, so no call is lost.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def station_group(station_id: int) -> str:
    return f"station.{station_id}"


def _send(group: str, message: dict) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:  # the committed row is the record; a reconnecting display catches up
        logger.exception("Publishing to %s failed", group)


def publish_after_commit(*, station_id: int, event: dict) -> None:
    """Sends ``event`` to the station's displays and phones once the transaction commits (never
    a call the database does not hold)."""
    message = {"type": "station.event", "event": event}
    transaction.on_commit(lambda: _send(station_group(station_id), message))
