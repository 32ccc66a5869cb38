"""Certificate API: issue (idempotent), detail, issuance log, and the public verification."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.permissions import HasRole
from common.ratelimit import ScopedRateLimit
from common.roles import APPROVER_ROLES, RECEIVER_ROLES
from hukou.models import AccessLog, Case, Certificate, Person
from hukou.selectors.certificates import certificate_public_view, certificate_verify_url
from hukou.services.access import access_log_record
from hukou.services.certificates import certificate_issue, certificate_record_print

STAFF = HasRole.of(*RECEIVER_ROLES, *APPROVER_ROLES)


class CertificateIssueSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Certificate.Kind.choices[1:])
    case = serializers.IntegerField(required=False, allow_null=True)
    reissue_reason = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class CertificateSerializer(serializers.ModelSerializer):
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "serial", "kind", "status", "person", "household", "case", "station", "issued_at",
                  "reissue_of", "reissue_reason", "verify_url"]  # fmt: skip

    def get_verify_url(self, certificate) -> str:
        return certificate_verify_url(certificate)


class CertificatePrintSerializer(serializers.Serializer):
    collected_by_name = serializers.CharField(max_length=64)
    collected_by_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    id_checked = serializers.BooleanField()
    fee = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, default=0)
    request_key = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class CertificatePrintRecordedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    printed_at = serializers.DateTimeField()


class CertificatePublicSerializer(serializers.Serializer):
    """What the public may learn from a certificate's QR code: status and masked data."""

    status = serializers.ChoiceField(choices=Certificate.Status.choices)
    status_display = serializers.CharField()
    kind = serializers.CharField()
    serial = serializers.CharField()
    issued_on = serializers.DateField()
    station = serializers.CharField()
    name = serializers.CharField(help_text="masked, e.g. 张*明")
    id_number = serializers.CharField(help_text="masked, e.g. 110105********002X")


class CertificateIssueApi(APIView):
    """201 with a new certificate, 200 with the valid one already issued (idempotent)."""

    permission_classes = [STAFF]

    @extend_schema(
        request=CertificateIssueSerializer, responses={201: CertificateSerializer, 200: CertificateSerializer}
    )
    def post(self, request):
        data = CertificateIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = get_object_or_404(Person.objects.visible_to(request.user), pk=data.validated_data["person"])
        case_id = data.validated_data.get("case")
        case = get_object_or_404(Case.objects.visible_to(request.user), pk=case_id) if case_id else None
        certificate = certificate_issue(
            case=case,
            person=person,
            kind=data.validated_data["kind"],
            user=request.user,
            reissue_reason=data.validated_data["reissue_reason"],
        )
        code = status.HTTP_201_CREATED if certificate.was_issued_now else status.HTTP_200_OK
        return Response(CertificateSerializer(certificate).data, status=code)


class CertificateDetailApi(APIView):
    permission_classes = [STAFF]

    @extend_schema(responses=CertificateSerializer)
    def get(self, request, pk: int):
        certificate = get_object_or_404(Certificate.objects.visible_to(request.user), pk=pk)
        access_log_record(
            request=request,
            action=AccessLog.Action.VIEW,
            target=f"certificate:{certificate.serial}",
            purpose="API证明查看",
            person=certificate.person,
        )
        return Response(CertificateSerializer(certificate).data)


class CertificatePrintApi(APIView):
    """Append to the issuance log; the same request_key twice records once."""

    permission_classes = [STAFF]

    @extend_schema(request=CertificatePrintSerializer, responses={201: CertificatePrintRecordedSerializer})
    def post(self, request, pk: int):
        certificate = get_object_or_404(Certificate.objects.visible_to(request.user), pk=pk)
        data = CertificatePrintSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        row = certificate_record_print(
            certificate=certificate,
            user=request.user,
            request=request,
            **values | {"request_key": values["request_key"] or None},
        )
        return Response({"id": row.pk, "printed_at": row.printed_at}, status=status.HTTP_201_CREATED)


class VerifyRateLimit(ScopedRateLimit):
    scope = "verify"


class CertificateVerifyApi(APIView):
    """Public: status and minimal masked data only."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [VerifyRateLimit]

    @extend_schema(responses=CertificatePublicSerializer)
    def get(self, request, token: str):
        certificate = get_object_or_404(Certificate, token=token[:64])
        access_log_record(
            request=request, action=AccessLog.Action.VIEW, target=f"verify:{certificate.serial}",
            purpose="证明公开核验", person=certificate.person, station_id=certificate.station_id,
        )  # fmt: skip
        return Response(certificate_public_view(certificate))
