from django.urls import path

from hukou.views import access, registry, workbench

app_name = "hukou"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("station/", workbench.station_overview, name="station_overview"),
    path("station/access-log/", access.access_log, name="access_log"),
    path("persons/<int:pk>/", registry.person_page, name="person_detail"),
    path("households/<int:pk>/", registry.household_page, name="household_detail"),
]
