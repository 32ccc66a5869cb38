from django.urls import path

from hukou.api import cases as api_cases
from hukou.api import certificates as api_certificates
from hukou.api import households as api_households
from hukou.api import registry as api

urlpatterns = [
    path("stations/", api.StationListApi.as_view(), name="api-station-list"),
    path("households/", api.HouseholdListApi.as_view(), name="api-household-list"),
    path("households/<int:pk>/", api_households.HouseholdDetailApi.as_view(), name="api-household-detail"),
    path(
        "households/<int:pk>/change-head/",
        api_households.HouseholdChangeHeadApi.as_view(),
        name="api-household-change-head",
    ),
    path("persons/<int:pk>/guardians/", api_households.GuardianshipSetApi.as_view(), name="api-guardianship-set"),
    path("guardianships/<int:pk>/end/", api_households.GuardianshipEndApi.as_view(), name="api-guardianship-end"),
    path("cases/", api_cases.CaseListApi.as_view(), name="api-case-list"),
    path("cases/receive/", api_cases.CaseReceiveApi.as_view(), name="api-case-receive"),
    path("cases/<int:pk>/", api_cases.CaseDetailApi.as_view(), name="api-case-detail"),
    path("cases/<int:pk>/submit/", api_cases.CaseSubmitApi.as_view(), name="api-case-submit"),
    path("cases/<int:pk>/complete/", api_cases.CaseCompleteApi.as_view(), name="api-case-complete"),
    path("cases/<int:pk>/approve/", api_cases.CaseApproveApi.as_view(), name="api-case-approve"),
    path("cases/<int:pk>/send-back/", api_cases.CaseSendBackApi.as_view(), name="api-case-send-back"),
    path("cases/<int:pk>/reject/", api_cases.CaseRejectApi.as_view(), name="api-case-reject"),
    path(
        "cases/<int:pk>/accept-with-missing/",
        api_cases.CaseAcceptWithMissingApi.as_view(),
        name="api-case-accept-with-missing",
    ),
    path("cases/<int:pk>/supplement/", api_cases.CaseSupplementApi.as_view(), name="api-case-supplement"),
    path("cases/<int:pk>/id-card/<slug:step>/", api_cases.CaseIdCardStepApi.as_view(), name="api-case-id-card"),
    path("archive-pages/", api_cases.ArchivePageUploadApi.as_view(), name="api-archive-page-upload"),
    path("duplicates/", api_cases.DuplicateSuspectListApi.as_view(), name="api-duplicate-list"),
    path("duplicates/<int:pk>/decide/", api_cases.DuplicateSuspectDecideApi.as_view(), name="api-duplicate-decide"),
    path("persons/", api.PersonSearchApi.as_view(), name="api-person-search"),
    path("persons/<int:pk>/", api.PersonDetailApi.as_view(), name="api-person-detail"),
    path("persons/<int:pk>/timeline/", api.PersonTimelineApi.as_view(), name="api-person-timeline"),
    path("access-log/", api.AccessLogListApi.as_view(), name="api-access-log"),
    path("certificates/", api_certificates.CertificateIssueApi.as_view(), name="api-certificate-issue"),
    path("certificates/<int:pk>/", api_certificates.CertificateDetailApi.as_view(), name="api-certificate-detail"),
    path("certificates/<int:pk>/prints/", api_certificates.CertificatePrintApi.as_view(), name="api-certificate-print"),
    path("verify/<str:token>/", api_certificates.CertificateVerifyApi.as_view(), name="api-certificate-verify"),
]
