from django.urls import path

from schoolsync.api import eligibility

urlpatterns = [
    path("eligibility/", eligibility.EligibilityLookupApi.as_view(), name="api-school-eligibility"),
    path("notices/", eligibility.SchoolNoticeListApi.as_view(), name="api-school-notices"),
    path("notices/<int:event_id>/read/", eligibility.SchoolNoticeMarkReadApi.as_view(), name="api-school-notice-read"),
]
