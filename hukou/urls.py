from django.urls import path

from hukou.views import certificates, workbench

app_name = "hukou"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("station/", workbench.station_overview, name="station_overview"),
    path("persons/<int:person_id>/certificates/new/", certificates.certificate_new, name="certificate_new"),
    path("certificates/<int:pk>/", certificates.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", certificates.certificate_download, name="certificate_pdf"),
    path("certificates/<int:pk>/prints/", certificates.certificate_print_record, name="certificate_print"),
    path("certificates/<int:pk>/revoke/", certificates.certificate_revoke_view, name="certificate_revoke"),
]
