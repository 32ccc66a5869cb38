"""API routes of the school sync, included under /api/v1/."""

from django.urls import path

from schoolsync.api import changes, eligibility

urlpatterns = [
    path("sync/changes/", changes.SyncChangeListApi.as_view(), name="api-sync-changes"),
    path("sync/versions/", changes.SyncVersionApi.as_view(), name="api-sync-versions"),
    path("school/eligibility/", eligibility.EligibilityLookupApi.as_view(), name="api-school-eligibility"),
    path("school/notices/", eligibility.SchoolNoticeListApi.as_view(), name="api-school-notices"),
    path(
        "school/notices/<int:event_id>/read/",
        eligibility.SchoolNoticeMarkReadApi.as_view(),
        name="api-school-notice-read",
    ),
]
