"""Pull API for reconciliation: the education system reads every change after a version.

Authentication: ``Authorization: Bearer <EDU_SYNC_PULL_TOKEN>`` (the education system's client),
or a system administrator's session/token for support. See docs/sync-protocol.md.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import authentication, exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.authentication import ExpiringTokenAuthentication
from common.http import client_address
from common.permissions import HasRole
from common.roles import Role
from hukou.models import AccessLog, Person
from hukou.services.access import access_log_record
from schoolsync.selectors.feed import feed_page, feed_versions
from schoolsync.services.relay import outbound_feed_stamp

MAX_LIMIT = 1000


class EduClient:
    """The education system's client: authenticated, no role, no station, no school."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    role = None
    pk = id = None
    username = "edu-sync-client"

    def __str__(self) -> str:
        return self.username


class EduClientAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme != self.keyword:
            return None  # let session/token authentication try
        expected = settings.EDU_SYNC_PULL_TOKEN
        if not expected or not hmac.compare_digest(token.strip().encode(), expected.encode()):
            raise exceptions.AuthenticationFailed(_("The education system key is not valid."))
        return EduClient(), None

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="edu-sync"'


class EduClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = EduClientAuthentication
    name = "eduClientKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "EDU_SYNC_PULL_TOKEN"}


class IsEduClient(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, EduClient)


class _FeedApi(APIView):
    authentication_classes = [
        EduClientAuthentication,
        authentication.SessionAuthentication,
        ExpiringTokenAuthentication,
    ]
    permission_classes = [IsEduClient | HasRole.of(Role.SYSTEM_ADMIN)]


def _whole_number(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name, str(default))
    # isdigit() alone admits superscripts (¹) and other digits int() refuses.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise ValidationError({name: [_("Must be a whole number of zero or more.")]}, code="invalid")
    return min(int(raw), maximum) if maximum else int(raw)


def _log_feed_page(request, changes: list[dict], *, after: int) -> None:
    """Each child whose data the page carries is logged, under their own station."""
    keys = {int(change["child"]["person_key"]) for change in changes if change.get("child")}
    if keys:
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.EXPORT,
            target=f"sync:changes:after={after}",
            purpose="教育系统对账拉取",
            persons=Person.objects.filter(pk__in=keys).order_by("pk"),
        )


_VERSIONS = {"oldest_version": serializers.IntegerField(), "newest_version": serializers.IntegerField()}


class SyncChangeListApi(_FeedApi):
    """``GET /api/v1/sync/changes/?after=<version>&limit=<n>``: changes after a version."""

    @extend_schema(
        summary="Changes after a version (pull feed for reconciliation)",
        parameters=[
            OpenApiParameter("after", int, description="Last version the client processed (0 for all)."),
            OpenApiParameter("limit", int, description=f"Page size, 1 to {MAX_LIMIT} (default 100)."),
        ],
        responses=inline_serializer(
            "SyncChangePage",
            {
                "after": serializers.IntegerField(),
                "next_after": serializers.IntegerField(help_text="Pass as `after` for the next page."),
                "has_more": serializers.BooleanField(),
                "changes": serializers.ListField(
                    child=serializers.DictField(), help_text="Event bodies (docs/sync-protocol.md) plus `version`."
                ),
                **_VERSIONS,
            },
        ),
    )
    def get(self, request):
        after = _whole_number(request, "after", 0)
        limit = max(1, _whole_number(request, "limit", 100, MAX_LIMIT))
        outbound_feed_stamp()  # serve everything committed so far, even with the workers down
        changes, has_more = feed_page(after=after, limit=limit)
        _log_feed_page(request, changes, after=after)
        next_after = changes[-1]["version"] if changes else after
        return Response(
            {"after": after, "next_after": next_after, "has_more": has_more, "changes": changes, **feed_versions()}
        )


class SyncVersionApi(_FeedApi):
    """``GET /api/v1/sync/versions/``: the oldest and newest version the feed holds."""

    @extend_schema(
        summary="Oldest and newest version of the pull feed", responses=inline_serializer("SyncVersions", _VERSIONS)
    )
    def get(self, request):
        outbound_feed_stamp()
        return Response(feed_versions())
