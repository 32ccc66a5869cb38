"""API routes of the school sync, included under /api/v1/."""

from django.urls import path

from schoolsync.api import changes

urlpatterns = [
    path("sync/changes/", changes.SyncChangeListApi.as_view(), name="api-sync-changes"),
    path("sync/versions/", changes.SyncVersionApi.as_view(), name="api-sync-versions"),
]
