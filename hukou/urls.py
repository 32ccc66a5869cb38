from django.urls import path

from hukou.views import access, imports, registry, workbench

app_name = "hukou"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("station/", workbench.station_overview, name="station_overview"),
    path("station/access-log/", access.access_log, name="access_log"),
    path("station/imports/", imports.import_list, name="import_list"),
    path("station/imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("station/imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("persons/<int:pk>/", registry.person_page, name="person_detail"),
    path("households/<int:pk>/", registry.household_page, name="household_detail"),
]
