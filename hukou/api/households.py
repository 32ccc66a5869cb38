"""Direct registry edits under /api/v1/ (not through a case): a household's address and kind
(PATCH with If-Match), its head, a child's guardians. The same roles as the household screens
(``hukou.policy.REGISTRY_EDITOR_ROLES``); every row is looked up through ``visible_to``, so
another station's household answers 404; a stale ``If-Match`` answers 409 with the current ETag.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import Conflict
from hukou.api import registry as registry_api
from hukou.api import serializers as s
from hukou.api.cases import valid_input
from hukou.api.permissions import EDITORS
from hukou.errors import StaleVersion
from hukou.models import Address, Guardianship, Household, Person
from hukou.selectors.lookup import visible_or_404
from hukou.services.registry import guardianship_end, guardianship_set, household_change_head, household_update


def _if_match(request) -> int:
    """The version the client edited, from the ETag it got (``If-Match: "household-7-v3"``,
    weak or strong) or a bare version (``If-Match: "3"``)."""
    raw = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    version = raw.rsplit("-v", 1)[-1]
    if not (version.isascii() and version.isdigit()):
        raise ValidationError(
            _("Send the household's ETag in the If-Match header, so no one else's change is overwritten."),
            code="if_match_required",
        )
    return int(version)


class HouseholdDetailApi(registry_api.HouseholdDetailApi):
    """One household (GET: members, guardians, ETag; see hukou.api). PATCH needs ``If-Match``: a
    stale one answers 409 and changes nothing (re-checked under the row lock). Only the registry
    editors (hukou.policy.REGISTRY_EDITOR_ROLES) may edit a household directly, as on screen;
    auxiliaries go through a case."""

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [EDITORS()]
        return super().get_permissions()

    @extend_schema(
        request=s.HouseholdUpdateSerializer,
        responses=s.HouseholdSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    def patch(self, request, pk: int):
        household = visible_or_404(Household, user=request.user, pk=pk)
        data = valid_input(s.HouseholdUpdateSerializer, request)
        address = None
        if "address" in data:
            address = visible_or_404(Address, user=request.user, pk=data["address"])
        household = _stale_as_conflict(
            lambda: household_update(
                actor=request.user,
                household_id=household.pk,
                expected_version=_if_match(request),
                address=address,
                kind=data.get("kind"),
                reason=data["reason"],
            )
        )
        household.refresh_from_db()
        return Response(
            s.HouseholdSerializer(household).data, headers={"ETag": registry_api.etag_of("household", household)}
        )


def _stale_as_conflict(call):
    try:
        return call()
    except StaleVersion as exc:
        raise Conflict(detail=str(exc.message), code=exc.code) from exc


class HouseholdChangeHeadApi(APIView):
    """户主变更 with ``If-Match`` (the household's ETag); the old head takes a new relationship."""

    permission_classes = [EDITORS]

    @extend_schema(
        request=s.ChangeHeadSerializer,
        responses=s.HouseholdSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request, pk: int):
        household = visible_or_404(Household, user=request.user, pk=pk)
        data = valid_input(s.ChangeHeadSerializer, request)
        household = _stale_as_conflict(
            lambda: household_change_head(
                actor=request.user,
                household_id=household.pk,
                new_head_id=visible_or_404(Person, user=request.user, pk=data["new_head"]).pk,
                old_head_relationship=data["old_head_relationship"],
                expected_version=_if_match(request),
                reason=data["reason"],
            )
        )
        return Response(
            s.HouseholdSerializer(household).data, headers={"ETag": registry_api.etag_of("household", household)}
        )


class GuardianshipSetApi(APIView):
    """监护关系确认: record a guardian of a child of the station."""

    permission_classes = [EDITORS]

    @extend_schema(request=s.GuardianshipSetSerializer, responses={201: None})
    def post(self, request, pk: int):
        child = visible_or_404(Person, user=request.user, pk=pk)
        data = valid_input(s.GuardianshipSetSerializer, request)
        guardianship = guardianship_set(
            actor=request.user,
            child_id=child.pk,
            guardian_id=visible_or_404(Person, user=request.user, pk=data["guardian"]).pk,
            relationship=data["relationship"],
            has_custody=data["has_custody"],
            valid_from=data["valid_from"],
            reason=data["reason"],
        )
        return Response({"id": guardianship.pk}, status=status.HTTP_201_CREATED)


class GuardianshipEndApi(APIView):
    """End a guardianship (kept, with its end date and reason)."""

    permission_classes = [EDITORS]

    @extend_schema(request=s.GuardianshipEndSerializer, responses={200: None})
    def post(self, request, pk: int):
        guardianship = visible_or_404(Guardianship, user=request.user, pk=pk)
        data = valid_input(s.GuardianshipEndSerializer, request)
        guardianship = guardianship_end(
            actor=request.user, guardianship_id=guardianship.pk, valid_until=data["valid_until"], reason=data["reason"]
        )
        return Response({"id": guardianship.pk, "valid_until": guardianship.valid_until})
