"""The waiting-room TV page of one station. Public: it shows numbers and windows only."""

from django.shortcuts import get_object_or_404, render

from appointments.models import TicketCall
from hukou.models import Station


def display(request, station_code: str):
    """Recent calls are rendered on load; later calls arrive pushed over the websocket (never
    polled), and a reconnect asks for the calls after the last sequence it showed."""
    station = get_object_or_404(Station, code=station_code)
    recent = list(TicketCall.objects.filter(station=station).select_related("ticket", "window").order_by("-id")[:8])
    last_seq = recent[0].pk if recent else 0
    return render(request, "appointments/display.html", {"station": station, "recent": recent, "last_seq": last_seq})
