from django.urls import path

from hukou.views import workbench

app_name = "hukou"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("station/", workbench.station_overview, name="station_overview"),
]
