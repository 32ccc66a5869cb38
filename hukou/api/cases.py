"""Case workflow API under /api/v1/: one class per operation (registry edits: hukou.api.households).

Every object is looked up through ``visible_to(request.user)``, so another station's case or
household answers 404. Services raise ValidationError (400 with ``{"code","message","fields"}``);
a stale ``If-Match`` answers 409 with the current ETag.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.http import client_address
from hukou.api import serializers as s
from hukou.api.permissions import APPROVERS, RECEIVERS, STATION_STAFF
from hukou.models import AccessLog, Case, DuplicateSuspect, Household, Person
from hukou.selectors.cases import business_type_by_code, case_actions, case_for_api, case_list, open_duplicate_suspects
from hukou.selectors.lookup import visible_or_404
from hukou.services import cases as case_services
from hukou.services import casework
from hukou.services.access import access_log_record
from hukou.services.registry import duplicate_suspect_decide


def _case(request, pk: int) -> Case:
    return visible_or_404(Case, user=request.user, pk=pk)


def _detail(request, case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
    case = case_for_api(case=case)
    case.actions = case_actions(case=case, user=request.user)
    return Response(s.CaseDetailSerializer(case, context={"user": request.user}).data, status=status_code)


@extend_schema(parameters=[OpenApiParameter("status", str, description="Only cases in this status")])
class CaseListApi(generics.ListAPIView):
    """Cases of the user's station, newest first."""

    permission_classes = [STATION_STAFF]
    serializer_class = s.CaseListSerializer

    def get_queryset(self):
        return case_list(user=self.request.user, status=self.request.query_params.get("status", ""))

    def list(self, request, *args, **kwargs):
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.SEARCH,
            target="cases",
            purpose="办件列表",
        )
        return super().list(request, *args, **kwargs)


class CaseReceiveApi(APIView):
    """受理: receive a case at the window; the caller owns it (首问负责)."""

    permission_classes = [RECEIVERS]

    @extend_schema(request=s.CaseReceiveSerializer, responses={201: s.CaseDetailSerializer})
    def post(self, request):
        data = valid_input(s.CaseReceiveSerializer, request)
        business_type = business_type_by_code(code=data["business_type"])
        household = _visible(Household, request, data["household"])
        person = _visible(Person, request, data["person"])
        case = case_services.case_receive(
            actor=request.user,
            business_type=business_type,
            applicant_name=data["applicant_name"],
            applicant_id_number=data["applicant_id_number"],
            applicant_phone=data["applicant_phone"],
            household=household,
            person=person,
            payload=data["payload"],
            note=data["note"],
        )
        return _detail(request, case, status_code=status.HTTP_201_CREATED)


def valid_input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _visible(model, request, pk):
    return None if pk is None else visible_or_404(model, user=request.user, pk=pk)


class CaseDetailApi(APIView):
    """One case with its steps and the actions the caller may take now. Access-logged."""

    permission_classes = [STATION_STAFF]

    @extend_schema(responses=s.CaseDetailSerializer)
    def get(self, request, pk: int):
        case = _case(request, pk)
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            subject=case,
            purpose="办件查看",
        )
        return _detail(request, case)


class _CaseStepApi(APIView):
    """A POST that moves a case one step; subclasses name the service and the input."""

    permission_classes = [STATION_STAFF]
    input_serializer = s.NoteSerializer

    def step(self, request, case: Case, data: dict) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def post(self, request, pk: int):
        case = _case(request, pk)
        self.step(request, case, valid_input(self.input_serializer, request))
        return _detail(request, case)


def _step_schema(serializer):
    return extend_schema(request=serializer, responses=s.CaseDetailSerializer)


@_step_schema(s.NoteSerializer)
class CaseSubmitApi(_CaseStepApi):
    """The receiving clerk sends the case for sign-off."""

    def step(self, request, case, data):
        case_services.case_submit_for_review(actor=request.user, case_id=case.pk, note=data["note"])


@_step_schema(s.NoteSerializer)
class CaseCompleteApi(_CaseStepApi):
    """当场办结 for business without sign-off."""

    def step(self, request, case, data):
        case_services.case_complete(actor=request.user, case_id=case.pk, note=data["note"])


@_step_schema(s.NoteSerializer)
class CaseApproveApi(_CaseStepApi):
    """审签: sign off and apply the registry change (never by the receiver)."""

    permission_classes = [APPROVERS]

    def step(self, request, case, data):
        case_services.case_approve(actor=request.user, case_id=case.pk, note=data["note"])


@_step_schema(s.ReasonSerializer)
class CaseSendBackApi(_CaseStepApi):
    """退回补正: the approver returns the case to its receiving clerk with what must be corrected."""

    permission_classes = [APPROVERS]
    input_serializer = s.ReasonSerializer

    def step(self, request, case, data):
        case_services.case_send_back(actor=request.user, case_id=case.pk, reason=data["reason"])


@_step_schema(s.ReasonSerializer)
class CaseRejectApi(_CaseStepApi):
    """Reject with reasons."""

    input_serializer = s.ReasonSerializer

    def step(self, request, case, data):
        case_services.case_reject(actor=request.user, case_id=case.pk, reason=data["reason"])


@_step_schema(s.MissingItemsSerializer)
class CaseAcceptWithMissingApi(_CaseStepApi):
    """容缺受理: name the missing non-core materials; the applicant has 3 working days."""

    input_serializer = s.MissingItemsSerializer

    def step(self, request, case, data):
        case_services.case_accept_with_missing(
            actor=request.user, case_id=case.pk, missing_items=data["missing_items"], note=data["note"]
        )


@_step_schema(s.NoteSerializer)
class CaseSupplementApi(_CaseStepApi):
    """The missing materials arrived in time."""

    def step(self, request, case, data):
        case_services.case_supplement_received(actor=request.user, case_id=case.pk, note=data["note"])


ID_CARD_STEPS = {
    "photo": lambda user, pk, data: casework.id_card_photo_taken(actor=user, case_id=pk),
    "fingerprint": lambda user, pk, data: casework.id_card_fingerprint_taken(actor=user, case_id=pk),
    "fee": lambda user, pk, data: casework.id_card_fee_paid(actor=user, case_id=pk, amount=data.get("amount")),
    "ready": lambda user, pk, data: casework.id_card_ready(actor=user, case_id=pk),
    "collected": lambda user, pk, data: casework.id_card_collected(
        actor=user, case_id=pk, collected_by_name=data["collected_by_name"]
    ),
}


@_step_schema(s.IdCardStepSerializer)
class CaseIdCardStepApi(_CaseStepApi):
    """ID card steps: photo, fingerprint, fee (amount), ready, collected (collected_by_name)."""

    input_serializer = s.IdCardStepSerializer

    def post(self, request, pk: int, step: str):
        if step not in ID_CARD_STEPS:
            raise ValidationError(_("Unknown step."), code="unknown_step")
        case = _case(request, pk)
        ID_CARD_STEPS[step](request.user, case.pk, valid_input(self.input_serializer, request))
        return _detail(request, case)


class ArchivePageUploadApi(APIView):
    """Attach one scanned page to a person or household (append-only)."""

    permission_classes = [RECEIVERS]
    parser_classes = [MultiPartParser]

    @extend_schema(request=s.ArchivePageUploadSerializer, responses={201: None})
    def post(self, request):
        data = valid_input(s.ArchivePageUploadSerializer, request)
        page = casework.archive_page_add(
            actor=request.user,
            file=data["file"],
            title=data["title"],
            person=_visible(Person, request, data["person"]),
            household=_visible(Household, request, data["household"]),
            case=_visible(Case, request, data["case"]),
        )
        return Response({"id": page.pk, "title": page.title}, status=status.HTTP_201_CREATED)


class DuplicateSuspectListApi(generics.ListAPIView):
    """Open suspected duplicates of the station, for the approver to decide."""

    permission_classes = [STATION_STAFF]
    serializer_class = s.DuplicateSuspectSerializer

    def get_queryset(self):
        return open_duplicate_suspects(user=self.request.user)

    def list(self, request, *args, **kwargs):
        shown = [p for s in self.get_queryset() for p in (s.person, s.suspected_of)]  # issue #11: logged
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            target="duplicates",
            purpose="疑似重复",
            persons=shown,
        )
        return super().list(request, *args, **kwargs)


class DuplicateSuspectDecideApi(APIView):
    """Confirm (cancels the later registration) or dismiss a suspected duplicate."""

    permission_classes = [APPROVERS]

    @extend_schema(request=s.DuplicateDecisionSerializer, responses=s.DuplicateSuspectSerializer)
    def post(self, request, pk: int):
        suspect = visible_or_404(DuplicateSuspect, user=request.user, pk=pk)
        data = valid_input(s.DuplicateDecisionSerializer, request)
        suspect = duplicate_suspect_decide(
            actor=request.user, suspect_id=suspect.pk, confirmed=data["confirmed"], note=data["note"]
        )
        return Response(s.DuplicateSuspectSerializer(suspect).data)
