from django.urls import path

from hukou import api

urlpatterns = [
    path("stations/", api.StationListApi.as_view(), name="api-station-list"),
    path("households/", api.HouseholdListApi.as_view(), name="api-household-list"),
]
