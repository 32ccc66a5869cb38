from django.urls import path

from hukou import views

app_name = "hukou"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("approvals/", views.approvals, name="approvals"),
    path("station/", views.station_overview, name="station_overview"),
]
