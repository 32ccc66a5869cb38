from django.urls import path

from hukou import api

urlpatterns = [
    path("stations/", api.StationListApi.as_view(), name="api-station-list"),
    path("households/", api.HouseholdListApi.as_view(), name="api-household-list"),
    path("households/<int:pk>/", api.HouseholdDetailApi.as_view(), name="api-household-detail"),
    path("persons/", api.PersonSearchApi.as_view(), name="api-person-search"),
    path("persons/<int:pk>/", api.PersonDetailApi.as_view(), name="api-person-detail"),
    path("persons/<int:pk>/timeline/", api.PersonTimelineApi.as_view(), name="api-person-timeline"),
    path("access-log/", api.AccessLogListApi.as_view(), name="api-access-log"),
]
