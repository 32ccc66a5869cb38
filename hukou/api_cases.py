"""Case workflow and registry-edit API under /api/v1/: one class per operation.

Every object is looked up through ``visible_to(request.user)``, so another station's case or
household answers 404. Services raise ValidationError (400 with ``{"code","message","fields"}``);
a stale ``If-Match`` answers 409 with the current ETag.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import Conflict
from common.permissions import HasRole
from common.roles import APPROVER_ROLES, RECEIVER_ROLES, REGISTRY_EDITOR_ROLES
from hukou import api as registry_api
from hukou import serializers_cases as s
from hukou.errors import StaleVersion
from hukou.models import AccessLog, Address, BusinessType, Case, DuplicateSuspect, Guardianship, Household, Person
from hukou.selectors.cases import case_actions, case_list
from hukou.services import cases as case_services
from hukou.services import casework
from hukou.services.access import access_log_record
from hukou.services.duplicates import duplicate_suspect_decide
from hukou.services.registry import guardianship_end, guardianship_set, household_change_head, household_update

STATION_STAFF = HasRole.of(*RECEIVER_ROLES, *APPROVER_ROLES)
RECEIVERS = HasRole.of(*RECEIVER_ROLES)
APPROVERS = HasRole.of(*APPROVER_ROLES)


def _case(request, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=pk)


def _detail(request, case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
    case = (
        Case.objects.select_related("business_type", "received_by", "approved_by", "id_card")
        .prefetch_related("transitions__actor")
        .get(pk=case.pk)
    )
    case.actions = case_actions(case=case, user=request.user)
    return Response(s.CaseDetailSerializer(case, context={"user": request.user}).data, status=status_code)


# Direct registry edits: the same roles as the household screens.
EDITORS = HasRole.of(*REGISTRY_EDITOR_ROLES)


@extend_schema(parameters=[OpenApiParameter("status", str, description="Only cases in this status")])
class CaseListApi(generics.ListAPIView):
    """Cases of the user's station, newest first."""

    permission_classes = [STATION_STAFF]
    serializer_class = s.CaseListSerializer

    def get_queryset(self):
        return case_list(user=self.request.user, status=self.request.query_params.get("status", ""))

    def list(self, request, *args, **kwargs):
        access_log_record(request=request, action=AccessLog.Action.SEARCH, target="cases", purpose="办件列表")
        return super().list(request, *args, **kwargs)


class CaseReceiveApi(APIView):
    """受理: receive a case at the window; the caller owns it (首问负责)."""

    permission_classes = [RECEIVERS]

    @extend_schema(request=s.CaseReceiveSerializer, responses={201: s.CaseDetailSerializer})
    def post(self, request):
        data = _valid(s.CaseReceiveSerializer, request)
        business_type = get_object_or_404(BusinessType, code=data["business_type"])
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


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _visible(model, request, pk):
    return None if pk is None else get_object_or_404(model.objects.visible_to(request.user), pk=pk)


class CaseDetailApi(APIView):
    """One case with its steps and the actions the caller may take now. Access-logged."""

    permission_classes = [STATION_STAFF]

    @extend_schema(responses=s.CaseDetailSerializer)
    def get(self, request, pk: int):
        case = _case(request, pk)
        access_log_record(request=request, action=AccessLog.Action.VIEW, target=f"case:{case.pk}", purpose="办件查看")
        return _detail(request, case)


class _CaseStepApi(APIView):
    """A POST that moves a case one step; subclasses name the service and the input."""

    permission_classes = [STATION_STAFF]
    input_serializer = s.NoteSerializer

    def step(self, request, case: Case, data: dict) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def post(self, request, pk: int):
        case = _case(request, pk)
        self.step(request, case, _valid(self.input_serializer, request))
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
        ID_CARD_STEPS[step](request.user, case.pk, _valid(self.input_serializer, request))
        return _detail(request, case)


class ArchivePageUploadApi(APIView):
    """Attach one scanned page to a person or household (append-only)."""

    permission_classes = [RECEIVERS]
    parser_classes = [MultiPartParser]

    @extend_schema(request=s.ArchivePageUploadSerializer, responses={201: None})
    def post(self, request):
        data = _valid(s.ArchivePageUploadSerializer, request)
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
        return (
            DuplicateSuspect.objects.visible_to(self.request.user)
            .filter(status=DuplicateSuspect.Status.OPEN)
            .select_related("person__household", "suspected_of__household")
        )

    def list(self, request, *args, **kwargs):
        shown = [p for s in self.get_queryset() for p in (s.person, s.suspected_of)]  # issue #11: logged
        access_log_record(
            request=request, action=AccessLog.Action.VIEW, target="duplicates", purpose="疑似重复", persons=shown
        )
        return super().list(request, *args, **kwargs)


class DuplicateSuspectDecideApi(APIView):
    """Confirm (cancels the later registration) or dismiss a suspected duplicate."""

    permission_classes = [APPROVERS]

    @extend_schema(request=s.DuplicateDecisionSerializer, responses=s.DuplicateSuspectSerializer)
    def post(self, request, pk: int):
        suspect = get_object_or_404(DuplicateSuspect.objects.visible_to(request.user), pk=pk)
        data = _valid(s.DuplicateDecisionSerializer, request)
        suspect = duplicate_suspect_decide(
            actor=request.user, suspect_id=suspect.pk, confirmed=data["confirmed"], note=data["note"]
        )
        return Response(s.DuplicateSuspectSerializer(suspect).data)


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
    editors (common.roles.REGISTRY_EDITOR_ROLES) may edit a household directly, as on screen;
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
        household = get_object_or_404(Household.objects.visible_to(request.user), pk=pk)
        data = _valid(s.HouseholdUpdateSerializer, request)
        address = None
        if "address" in data:
            address = get_object_or_404(Address.objects.visible_to(request.user), pk=data["address"])
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
        household = get_object_or_404(Household.objects.visible_to(request.user), pk=pk)
        data = _valid(s.ChangeHeadSerializer, request)
        household = _stale_as_conflict(
            lambda: household_change_head(
                actor=request.user,
                household_id=household.pk,
                new_head_id=get_object_or_404(Person.objects.visible_to(request.user), pk=data["new_head"]).pk,
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
        child = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
        data = _valid(s.GuardianshipSetSerializer, request)
        guardianship = guardianship_set(
            actor=request.user,
            child_id=child.pk,
            guardian_id=get_object_or_404(Person.objects.visible_to(request.user), pk=data["guardian"]).pk,
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
        guardianship = get_object_or_404(
            Guardianship.objects.filter(child__in=Person.objects.visible_to(request.user)), pk=pk
        )
        data = _valid(s.GuardianshipEndSerializer, request)
        guardianship = guardianship_end(
            actor=request.user, guardianship_id=guardianship.pk, valid_until=data["valid_until"], reason=data["reason"]
        )
        return Response({"id": guardianship.pk, "valid_until": guardianship.valid_until})
