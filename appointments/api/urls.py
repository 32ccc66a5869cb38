from django.urls import path

from appointments.api import views

urlpatterns = [
    path("slots/", views.SlotListApi.as_view(), name="api-appointment-slots"),
    path("bookings/", views.BookingListApi.as_view(), name="api-bookings"),
    path("bookings/new/", views.BookingCreateApi.as_view(), name="api-booking-create"),
    path("bookings/<str:code>/cancel/", views.BookingCancelApi.as_view(), name="api-booking-cancel"),
    path("bookings/<str:code>/late/", views.BookingRunningLateApi.as_view(), name="api-booking-late"),
    path("tickets/<int:pk>/call/", views.TicketCallApi.as_view(), name="api-ticket-call"),
    path("tickets/<int:pk>/recall/", views.TicketRecallApi.as_view(), name="api-ticket-recall"),
    path("windows/<int:pk>/call-next/", views.WindowCallNextApi.as_view(), name="api-window-call-next"),
    path("ping/", views.PingApi.as_view(), name="api-appointments-ping"),
]
