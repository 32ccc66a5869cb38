"""School API: eligibility lookup by ID number, and the registry-change notices of the school.

Only school staff may call it; everything is scoped to the caller's school. The lookup is a
POST so that ID numbers never appear in URLs or server logs.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from common.http import client_address
from common.permissions import HasRole
from common.roles import Role
from hukou.models import AccessLog
from hukou.services.access import access_log_record
from schoolsync.ratelimit import SchoolLookupThrottle
from schoolsync.selectors.notices import school_notices, school_notices_unread_count
from schoolsync.services.eligibility import LookupPurpose, NoRulesPublished, NotVisible, eligibility_lookup
from schoolsync.services.notices import NoticeNotVisible, school_notice_mark_read

SCHOOL_STAFF = HasRole.of(Role.SCHOOL_STAFF)
NOTICE_LIMIT = 100


class LookupRequestSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=32)
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    purpose = serializers.ChoiceField(choices=LookupPurpose.choices, default=LookupPurpose.ENROLMENT)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    outcome = serializers.CharField()
    message = serializers.CharField()


class BasicItemsSerializer(serializers.Serializer):
    name = serializers.CharField()
    sex = serializers.CharField()
    birth_date = serializers.CharField()
    id_number = serializers.CharField()
    hukou_address = serializers.CharField()
    household_number = serializers.CharField()
    guardian_names = serializers.ListField(child=serializers.CharField())
    relationship_to_guardian = serializers.ListField(child=serializers.CharField())


class LookupResponseSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["eligible", "not_eligible", "needs_review"])
    verdict_label = serializers.CharField()
    reasons = ReasonSerializer(many=True)
    rule_version = serializers.CharField(allow_null=True)
    year = serializers.IntegerField()
    items = BasicItemsSerializer()


class NoRulesPublishedError(exceptions.NotFound):
    default_code = "no_rules_published"


class EligibilityLookupApi(APIView):
    """Verdict, reasons, rule version and the 8 basic items of a child, by ID number.

    An unknown ID number and a child outside the school's catchment and enrolments both answer
    404 with the same body, and so does an adult's number (schools see children under 18 only);
    a year without rules in force answers 404 ``no_rules_published`` saying so. Rate limited
    per user (scope ``school_lookup``, shared with the page).
    """

    permission_classes = [SCHOOL_STAFF]
    throttle_classes = [SchoolLookupThrottle]

    @extend_schema(request=LookupRequestSerializer, responses={200: LookupResponseSerializer})
    def post(self, request):
        params = LookupRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        try:
            lookup = eligibility_lookup(
                actor=request.user, client_address=client_address(request), **params.validated_data
            )
        except NotVisible:
            raise Http404 from None
        except NoRulesPublished as exc:
            raise NoRulesPublishedError(exc.message) from None
        answer = lookup.answer
        body = {
            "verdict": answer.verdict,
            "verdict_label": answer.verdict_label,
            "reasons": [{"code": r.code, "outcome": r.outcome, "message": r.message} for r in answer.reasons],
            "rule_version": answer.rule_version,
            "year": answer.year,
            "items": lookup.items,
        }
        return Response(LookupResponseSerializer(body).data)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    occurred_at = serializers.DateTimeField()
    person_name = serializers.CharField(source="person.name")
    person_id_number = serializers.CharField(source="person.masked_id_number")
    is_read = serializers.BooleanField()


class NoticeListResponseSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField()
    results = NoticeSerializer(many=True)


class SchoolNoticeListApi(APIView):
    """The newest registry changes concerning the caller's school (ID numbers masked)."""

    permission_classes = [SCHOOL_STAFF]

    @extend_schema(responses={200: NoticeListResponseSerializer})
    def get(self, request):
        school = request.user.school
        notices = school_notices(school=school)
        # Same entry as the school page writes: the list shows pupils' names.
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            target=f"school_notices:{school.code}",
            purpose=_("School notices"),
        )
        body = {"unread_count": school_notices_unread_count(school=school), "results": notices[:NOTICE_LIMIT]}
        return Response(NoticeListResponseSerializer(body).data)


class SchoolNoticeMarkReadApi(APIView):
    """Mark one notice read for the caller's school (idempotent)."""

    permission_classes = [SCHOOL_STAFF]

    @extend_schema(request=None, responses={200: None})
    def post(self, request, event_id: int):
        try:
            mark = school_notice_mark_read(actor=request.user, change_event_id=event_id)
        except NoticeNotVisible:
            raise Http404 from None
        return Response(
            {"id": event_id, "read_at": mark.read_at, "message": _("Notice marked as read.")}, status=status.HTTP_200_OK
        )
