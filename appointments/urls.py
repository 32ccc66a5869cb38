from django.urls import path

from appointments.views import desk, display, parent, station, ticket

app_name = "appointments"

urlpatterns = [
    path("", parent.booking_home, name="booking_home"),
    path("slots/", parent.booking_slots, name="booking_slots"),
    path("b/<str:code>/", parent.booking_detail, name="booking_detail"),
    path("b/<str:code>/cancel/", parent.booking_cancel, name="booking_cancel"),
    path("b/<str:code>/move/", parent.booking_reschedule, name="booking_reschedule"),
    path("b/<str:code>/late/", parent.booking_late, name="booking_late"),
    path("t/<str:token>/", ticket.ticket_page, name="ticket_page"),
    path("t/<str:token>/rate/", ticket.ticket_rate, name="ticket_rate"),
    path("t/<str:token>/report/", ticket.ticket_report, name="ticket_report"),
    path("display/<slug:station_code>/", display.display, name="display"),
    path("kiosk/", desk.kiosk, name="kiosk"),
    path("desk/", desk.desk_checkin, name="desk_checkin"),
    path("desk/tickets/<int:pk>/", desk.desk_ticket, name="desk_ticket"),
    path("tickets/<int:pk>/print/", desk.ticket_print, name="ticket_print"),
    path("tickets/<int:pk>/done/", desk.ticket_done, name="ticket_done"),
    path("tickets/<int:pk>/case/", desk.ticket_case_return, name="ticket_case_return"),
    path("console/", desk.console, name="console"),
    path("console/<int:window_id>/", desk.console, name="console_window"),
    path("console/<int:window_id>/<slug:action>/", desk.console_action, name="console_action"),
    path("proxy/", desk.proxy_booking, name="proxy_booking"),
    path("rate/<int:window_id>/", desk.rating_tablet, name="rating_tablet"),
    path("station/", station.station_desk, name="station_desk"),
    path("station/follow-ups/<int:pk>/", station.follow_up_detail, name="follow_up_detail"),
]
