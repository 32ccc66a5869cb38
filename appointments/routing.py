from django.urls import path

from appointments.consumers import DisplayConsumer, TicketConsumer

websocket_urlpatterns = [
    path("ws/display/<slug:station_code>/", DisplayConsumer.as_asgi()),
    path("ws/ticket/<str:token>/", TicketConsumer.as_asgi()),
]
