"""Certificate API: issue (idempotent), detail, issuance log, and the public verification."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.http import client_address
from common.ratelimit import ScopedRateLimit
from hukou.api.permissions import STATION_STAFF
from hukou.api.serializers import (
    CertificateIssueSerializer,
    CertificatePrintRecordedSerializer,
    CertificatePrintSerializer,
    CertificatePublicSerializer,
    CertificateSerializer,
)
from hukou.models import AccessLog, Case, Certificate, Person
from hukou.selectors.certificates import certificate_by_token, certificate_public_view
from hukou.selectors.lookup import visible_or_404
from hukou.services.access import access_log_record
from hukou.services.certificates import certificate_issue, certificate_record_print


class CertificateIssueApi(APIView):
    """201 with a new certificate, 200 with the valid one already issued (idempotent)."""

    permission_classes = [STATION_STAFF]

    @extend_schema(
        request=CertificateIssueSerializer, responses={201: CertificateSerializer, 200: CertificateSerializer}
    )
    def post(self, request):
        data = CertificateIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = visible_or_404(Person, user=request.user, pk=data.validated_data["person"])
        case_id = data.validated_data.get("case")
        case = visible_or_404(Case, user=request.user, pk=case_id) if case_id else None
        certificate = certificate_issue(
            case=case,
            person=person,
            kind=data.validated_data["kind"],
            actor=request.user,
            reissue_reason=data.validated_data["reissue_reason"],
        )
        code = status.HTTP_201_CREATED if certificate.was_issued_now else status.HTTP_200_OK
        return Response(CertificateSerializer(certificate).data, status=code)


class CertificateDetailApi(APIView):
    permission_classes = [STATION_STAFF]

    @extend_schema(responses=CertificateSerializer)
    def get(self, request, pk: int):
        certificate = visible_or_404(Certificate, user=request.user, pk=pk)
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            subject=certificate,
            purpose="API证明查看",
        )
        return Response(CertificateSerializer(certificate).data)


class CertificatePrintApi(APIView):
    """Append to the issuance log; the same request_key twice records once."""

    permission_classes = [STATION_STAFF]

    @extend_schema(request=CertificatePrintSerializer, responses={201: CertificatePrintRecordedSerializer})
    def post(self, request, pk: int):
        certificate = visible_or_404(Certificate, user=request.user, pk=pk)
        data = CertificatePrintSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        row = certificate_record_print(
            certificate=certificate,
            actor=request.user,
            client_address=client_address(request),
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
        certificate = certificate_by_token(token=token)
        if certificate is None:
            raise Http404
        access_log_record(
            actor=None,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            target=f"verify:{certificate.serial}",
            purpose="证明公开核验",
            person=certificate.person,
            station_id=certificate.station_id,
        )
        return Response(certificate_public_view(certificate))
