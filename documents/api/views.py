"""Materials pre-review API under /api/v1/documents/: one class per operation.

Guide reads are public (like the 办事指南 pages). Applications are parent-scoped (another
parent's id answers 404) and readable by staff of the application's station (another station
answers 404). Every error has the one shape ``{"code", "message", "fields"}``
(``common.api.exception_handler``); refused input writes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from common.http import client_address
from documents.api import serializers as s
from documents.api.permissions import PARENTS, STAFF_READERS
from documents.models import Application
from documents.selectors import (
    application_detail,
    applications_for_api,
    checklist_for_answers,
    guide_checklist,
    guide_checklists,
    notice_latest,
)
from documents.services.applications import application_answer, application_start_answered
from documents.services.uploads import upload_receive
from documents.services.visits import application_tie_booking
from hukou.models import AccessLog
from hukou.services.access import access_log_record


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _application(request, pk: int):
    """The application if the caller may see it (applicant, or staff of its station): else 404.
    Staff reads are access-logged, as on the review screen."""
    application = application_detail(user=request.user, application_id=pk)
    if application.applicant_id != request.user.pk:
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            target=f"application:{application.pk}",
            purpose="材料预审",
            person=application.child,
        )
    return application


def _own(request, pk: int):
    application = application_detail(user=request.user, application_id=pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


def _detail(request, pk: int, *, status_code=status.HTTP_200_OK) -> Response:
    application = application_detail(user=request.user, application_id=pk)
    data = s.ApplicationDetailSerializer(application, context={"user": request.user}).data
    return Response(data, status=status_code)


class BusinessTypeListApi(APIView):
    """Business types with the checklist in force and its questions (public, like the guide)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.BusinessTypeSerializer(many=True)})
    def get(self, request):
        checklists = guide_checklists()
        prefetch_related_objects(checklists, "questions")
        return Response(s.BusinessTypeSerializer(checklists, many=True).data)


class BusinessTypeGuideApi(APIView):
    """One business type's guide (办事指南): conditions, questions and every item."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.GuideSerializer})
    def get(self, request, code: str):
        return Response(s.GuideSerializer(guide_checklist(code=code)).data)


class ChecklistComputeApi(APIView):
    """The items to bring for these answers (yes/no per question code); nothing is stored."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.AnswersSerializer, responses={200: s.ComputedChecklistSerializer})
    def post(self, request, code: str):
        data = _valid(s.AnswersSerializer, request)
        checklist, answers, items = checklist_for_answers(code=code, answers=data["answers"])
        body = {"code": code, "version": checklist.version, "answers": answers, "items": items}
        return Response(s.ComputedChecklistSerializer(body).data)


class ApplicationListApi(generics.ListAPIView):
    """A parent's own applications; for station staff, their station's."""

    permission_classes = [PARENTS | STAFF_READERS]
    serializer_class = s.ApplicationListSerializer
    queryset = Application.objects.none()  # the schema's model; requests use the selector

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return applications_for_api(user=self.request.user)


class ApplicationCreateApi(APIView):
    """A parent starts an application (for their own child, or naming the station), optionally
    with every answer at once; a refusal leaves no draft."""

    permission_classes = [PARENTS]

    @extend_schema(request=s.ApplicationCreateSerializer, responses={201: s.ApplicationDetailSerializer})
    def post(self, request):
        data = _valid(s.ApplicationCreateSerializer, request)
        application = application_start_answered(
            user=request.user,
            business_type_code=data["business_type"],
            child_id=data.get("child"),
            station_id=data.get("station"),
            answers=data.get("answers"),
        )
        return _detail(request, application.pk, status_code=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    """One application: items with their status and reason, the current upload's verdicts."""

    permission_classes = [PARENTS | STAFF_READERS]

    @extend_schema(responses={200: s.ApplicationDetailSerializer})
    def get(self, request, pk: int):
        application = _application(request, pk)
        return Response(s.ApplicationDetailSerializer(application, context={"user": request.user}).data)


class ApplicationAnswerApi(APIView):
    """Every answer at once; the items owed are computed from them (until something is uploaded)."""

    permission_classes = [PARENTS]

    @extend_schema(request=s.AnswersSerializer, responses={200: s.ApplicationDetailSerializer})
    def post(self, request, pk: int):
        _own(request, pk)
        data = _valid(s.AnswersSerializer, request)
        application_answer(user=request.user, application_id=pk, answers=data["answers"])
        return _detail(request, pk)


class ItemUploadApi(APIView):
    """A photo or PDF for one item, through the same safe pipeline as the page
    (``common.uploads``); a refused file answers 400 with its code and leaves nothing behind."""

    permission_classes = [PARENTS]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.UploadFileSerializer}, responses={201: s.ApplicationItemSerializer}
    )
    def post(self, request, pk: int, item_id: int):
        application = _own(request, pk)
        if not application.items.filter(pk=item_id).exists():
            raise Http404
        data = _valid(s.UploadFileSerializer, request)
        try:
            upload_receive(
                user=request.user, application_item_id=item_id, data=data["file"].read(), filename=data["file"].name
            )
        except ValidationError as error:
            return Response(
                {
                    "code": error.code or "invalid",
                    "message": " ".join(error.messages),
                    "fields": {"file": error.messages},
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        owed = application_detail(user=request.user, application_id=pk).items.get(pk=item_id)
        return Response(s.ApplicationItemSerializer(owed).data, status=status.HTTP_201_CREATED)


class NoticeApi(APIView):
    """The one-time notice in force (the latest version), as the applicant read it."""

    permission_classes = [PARENTS | STAFF_READERS]

    @extend_schema(responses={200: s.OneTimeNoticeSerializer})
    def get(self, request, pk: int):
        notice = notice_latest(application=_application(request, pk))
        if notice is None:
            raise Http404(_("No notice has been issued for this application yet."))
        return Response(s.OneTimeNoticeSerializer(notice).data)


class ApplicationTieApi(APIView):
    """Ties the parent's application to their own booking of the same business and person."""

    permission_classes = [PARENTS]

    @extend_schema(request=s.TieSerializer, responses={200: s.ApplicationDetailSerializer})
    def post(self, request, pk: int):
        _own(request, pk)
        data = _valid(s.TieSerializer, request)
        try:
            application_tie_booking(user=request.user, application_id=pk, booking_code=data["booking"])
        except ValidationError as error:
            if error.code == "not_found":  # another parent's booking: as if it did not exist
                raise Http404 from None
            raise
        return _detail(request, pk)
