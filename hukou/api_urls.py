from django.urls import path

from hukou import api, api_certificates

urlpatterns = [
    path("stations/", api.StationListApi.as_view(), name="api-station-list"),
    path("households/", api.HouseholdListApi.as_view(), name="api-household-list"),
    path("certificates/", api_certificates.CertificateIssueApi.as_view(), name="api-certificate-issue"),
    path("certificates/<int:pk>/", api_certificates.CertificateDetailApi.as_view(), name="api-certificate-detail"),
    path("certificates/<int:pk>/prints/", api_certificates.CertificatePrintApi.as_view(), name="api-certificate-print"),
    path("verify/<str:token>/", api_certificates.CertificateVerifyApi.as_view(), name="api-certificate-verify"),
]
