from django.urls import path

from hukou.views import access, cases, certificates, households, imports, registry, workbench

app_name = "hukou"

urlpatterns = [
    path("", workbench.workbench, name="workbench"),
    path("approvals/", workbench.approvals, name="approvals"),
    path("station/", workbench.station_overview, name="station_overview"),
    path("duplicates/<int:pk>/decide/", cases.duplicate_decide, name="duplicate_decide"),
    path("cases/new/", cases.case_receive_start, name="case_receive_start"),
    path("cases/new/<slug:code>/", cases.case_receive, name="case_receive"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("archive-pages/<int:pk>/", cases.archive_page_download, name="archive_page"),
    path("cases/<int:pk>/<slug:action>/", cases.case_action, name="case_action"),
    path("station/access-log/", access.access_log, name="access_log"),
    path("station/imports/", imports.import_list, name="import_list"),
    path("station/imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("station/imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("persons/<int:pk>/", registry.person_page, name="person_detail"),
    path("households/<int:pk>/", registry.household_page, name="household_detail"),
    path("persons/<int:person_id>/certificates/new/", certificates.certificate_new, name="certificate_new"),
    path("certificates/<int:pk>/", certificates.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", certificates.certificate_download, name="certificate_pdf"),
    path("certificates/<int:pk>/prints/", certificates.certificate_print_record, name="certificate_print"),
    path("certificates/<int:pk>/revoke/", certificates.certificate_revoke_view, name="certificate_revoke"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/head/", households.household_head_change, name="household_head_change"),
    path("persons/<int:person_id>/guardians/new/", households.guardian_add, name="guardian_add"),
    path("guardianships/<int:pk>/end/", households.guardian_end, name="guardian_end"),
]

# The public certificate verification page, mounted at /verify/ (namespace "verify").
verify_urlpatterns = ([path("<str:token>/", certificates.certificate_verify, name="certificate")], "verify")
