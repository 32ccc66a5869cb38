"""Websocket consumers: the waiting-room display and the parent's phone ticket page.

Both join the station's group (``services.push.station_group``). The display receives each call
and, on connect with ``?after=<seq>``, every call it missed (catch-up from ``TicketCall``). The
phone page subscribes by its ticket's secret token and gets its own status (people ahead,
estimated wait, your turn) recomputed on every change at the station.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from appointments.models import Ticket
from appointments.selectors.queue import calls_since, ticket_status
from appointments.selectors.voice import call_clips, call_text
from appointments.services.push import station_group
from hukou.models import Station


def _call_event(call) -> dict:
    number, window = call.ticket.number, call.window.number
    return {
        "kind": "call",
        "seq": call.pk,
        "number": number,
        "window": window,
        "recall": call.is_recall,
        "text": call_text(ticket_number=number, window_number=window),
        "clips": call_clips(ticket_number=number, window_number=window),
        "catch_up": True,
    }


class DisplayConsumer(AsyncJsonWebsocketConsumer):
    """Public (a TV shows numbers and windows only, no names)."""

    async def connect(self):
        code = self.scope["url_route"]["kwargs"]["station_code"]
        self.station_id = await database_sync_to_async(
            lambda: Station.objects.filter(code=code).values_list("pk", flat=True).first()
        )()
        if self.station_id is None:
            await self.close(code=4404)
            return
        await self.channel_layer.group_add(station_group(self.station_id), self.channel_name)
        await self.accept()
        after = self._after()
        if after is not None:
            missed = await database_sync_to_async(calls_since)(station_id=self.station_id, after_id=after)
            for call in missed:
                await self.send_json(_call_event(call))

    def _after(self) -> int | None:
        query = dict(part.split("=", 1) for part in self.scope["query_string"].decode().split("&") if "=" in part)
        try:
            return int(query["after"])
        except (KeyError, ValueError):
            return None

    async def disconnect(self, code):
        if getattr(self, "station_id", None):
            await self.channel_layer.group_discard(station_group(self.station_id), self.channel_name)

    async def station_event(self, message):
        event = dict(message["event"])
        event.pop("token", None)  # the display never learns ticket tokens
        await self.send_json(event)


class TicketConsumer(AsyncJsonWebsocketConsumer):
    """The phone's ticket page; the token in the URL is the ticket's secret (from the QR)."""

    async def connect(self):
        token = self.scope["url_route"]["kwargs"]["token"]
        self.ticket = await database_sync_to_async(
            lambda: Ticket.objects.select_related("window").filter(token=token).first()
        )()
        if self.ticket is None:
            await self.close(code=4404)
            return
        self.group = station_group(self.ticket.station_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_status()

    async def disconnect(self, code):
        if getattr(self, "ticket", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _send_status(self):
        status = await database_sync_to_async(self._status)()
        await self.send_json({"kind": "status", **status})

    def _status(self) -> dict:
        ticket = Ticket.objects.select_related("window").get(pk=self.ticket.pk)
        return ticket_status(ticket=ticket)

    async def station_event(self, message):
        await self._send_status()
