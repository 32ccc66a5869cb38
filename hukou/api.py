"""Registry API under /api/v1/. Every endpoint filters by ``visible_to(request.user)``."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from common.permissions import HasRole
from common.roles import APPROVER_ROLES, RECEIVER_ROLES, Role
from hukou.models import AccessLog, Station
from hukou.selectors.registry import household_list
from hukou.serializers import HouseholdListSerializer, StationSerializer
from hukou.services.access import access_log_record
from hukou.visibility import station_filter

STAFF = HasRole.of(*RECEIVER_ROLES, *APPROVER_ROLES, Role.SYSTEM_ADMIN)


class StationListApi(generics.ListAPIView):
    """Stations the user belongs to (all of them for a system admin)."""

    permission_classes = [STAFF]
    serializer_class = StationSerializer

    def get_queryset(self):
        return Station.objects.filter(station_filter(self.request.user, "pk"))


@extend_schema(parameters=[OpenApiParameter("q", str, description="ID number, household number or name")])
class HouseholdListApi(generics.ListAPIView):
    """Households of the user's station, optionally searched; every search is access-logged."""

    permission_classes = [STAFF]
    serializer_class = HouseholdListSerializer

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        if query:
            access_log_record(
                request=self.request, action=AccessLog.Action.SEARCH, target=f"q={query}", purpose="API查询"
            )
        return household_list(user=self.request.user, query=query)
