"""Registry API under /api/v1/. Every endpoint filters by ``visible_to(request.user)``; every
read of personal data is access-logged like the pages are. Detail responses carry an ETag built
from the row's ``version`` and answer 304 to a matching If-None-Match."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.http import client_address
from common.permissions import HasRole
from common.roles import Role
from hukou.api.permissions import REGISTRY_READERS
from hukou.api.serializers import (
    AccessLogFilterSerializer,
    AccessLogSerializer,
    HouseholdDetailSerializer,
    HouseholdListSerializer,
    PersonDetailSerializer,
    PersonSummarySerializer,
    StationSerializer,
    TimelineEntrySerializer,
)
from hukou.models import AccessLog, Person
from hukou.purposes import PURPOSES, purpose_label
from hukou.selectors.access import access_log_list
from hukou.selectors.registry import household_detail, household_list, person_detail, person_search
from hukou.selectors.station import stations_visible_to
from hukou.selectors.timeline import person_timeline
from hukou.services.access import access_log_record

API_PURPOSE = "API查询"
PURPOSE_PARAMETER = OpenApiParameter(
    "purpose",
    str,
    description="Why the record is read (kept in the access log): " + ", ".join(PURPOSES) + " or free text",
)


def _purpose(request) -> str:
    return purpose_label(request.query_params.get("purpose"), default=API_PURPOSE)


def etag_of(kind: str, obj) -> str:
    return f'"{kind}-{obj.pk}-v{obj.version}"'


def _with_etag(request, etag: str, data) -> Response:
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = Response(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = Response(data)
    response["ETag"] = etag
    return response


class StationListApi(generics.ListAPIView):
    """Stations the user belongs to (all of them for a system admin)."""

    permission_classes = [REGISTRY_READERS]
    serializer_class = StationSerializer

    def get_queryset(self):
        return stations_visible_to(user=self.request.user)


@extend_schema(parameters=[OpenApiParameter("q", str, description="ID number, household number, name, pinyin or road")])
class HouseholdListApi(generics.ListAPIView):
    """Households of the user's station, optionally searched; every search is access-logged."""

    permission_classes = [REGISTRY_READERS]
    serializer_class = HouseholdListSerializer

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        if query:
            access_log_record(
                actor=self.request.user,
                client_address=client_address(self.request),
                action=AccessLog.Action.SEARCH,
                target=f"q={query}",
                purpose=API_PURPOSE,
            )
        return household_list(user=self.request.user, query=query)


@extend_schema(parameters=[OpenApiParameter("q", str, required=True, description="ID number, name or pinyin")])
class PersonSearchApi(generics.ListAPIView):
    """Persons of the user's station matching an ID number, name or pinyin; access-logged.
    ID numbers are masked unless the role may see them in full."""

    permission_classes = [REGISTRY_READERS]
    serializer_class = PersonSummarySerializer
    queryset = Person.objects.none()  # for the schema; get_queryset scopes the real one

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        query = self.request.query_params.get("q", "").strip()
        if not query:
            raise serializers.ValidationError({"q": [_("Enter an ID number, a name or its pinyin.")]})
        access_log_record(
            actor=self.request.user,
            client_address=client_address(self.request),
            action=AccessLog.Action.SEARCH,
            target=f"q={query}",
            purpose=API_PURPOSE,
        )
        return person_search(user=self.request.user, query=query)


class PersonDetailApi(APIView):
    """One person with household, parents and guardians; access-logged; ETag from ``version``."""

    permission_classes = [REGISTRY_READERS]

    @extend_schema(parameters=[PURPOSE_PARAMETER], responses={200: PersonDetailSerializer, 304: OpenApiResponse()})
    def get(self, request, pk: int):
        person = person_detail(user=request.user, person_id=pk)
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            subject=person,
            purpose=_purpose(request),
        )
        data = PersonDetailSerializer(person, context={"request": request}).data
        return _with_etag(request, etag_of("person", person), data)


class PersonTimelineApi(APIView):
    """Every kept change concerning the person, newest first; access-logged."""

    permission_classes = [REGISTRY_READERS]

    @extend_schema(parameters=[PURPOSE_PARAMETER], responses=TimelineEntrySerializer(many=True))
    def get(self, request, pk: int):
        person = person_detail(user=request.user, person_id=pk)
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            subject=person,
            aspect="timeline",
            purpose=_purpose(request),
        )
        return Response(TimelineEntrySerializer(person_timeline(person=person), many=True).data)


class HouseholdDetailApi(APIView):
    """One household with its members and their guardians; access-logged; ETag from ``version``."""

    permission_classes = [REGISTRY_READERS]

    @extend_schema(parameters=[PURPOSE_PARAMETER], responses={200: HouseholdDetailSerializer, 304: OpenApiResponse()})
    def get(self, request, pk: int):
        household = household_detail(user=request.user, household_id=pk)
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            subject=household,
            purpose=_purpose(request),
            persons=household.members.all(),
        )
        data = HouseholdDetailSerializer(household, context={"request": request}).data
        return _with_etag(request, etag_of("household", household), data)


@extend_schema(parameters=[AccessLogFilterSerializer])
class AccessLogListApi(generics.ListAPIView):
    """The station's personal-data access log, newest first (station admins only)."""

    permission_classes = [HasRole.of(Role.STATION_ADMIN, Role.SYSTEM_ADMIN)]
    serializer_class = AccessLogSerializer

    def get_queryset(self):
        filters = AccessLogFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return access_log_list(
            user=self.request.user,
            user_id=data.get("user"),
            action=data.get("action", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
