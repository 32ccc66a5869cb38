"""Case screens: choose a business, receive it, see a case and take the steps allowed now.

Thin: forms shape the input, services decide. A refused step shows the service's message and
changes nothing; every case page view is access-logged (it shows personal data).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.http import client_address
from common.permissions import role_required
from common.roles import STATION_ROLES
from common.uploads.storage import safe_file_response
from hukou.forms.cases import FORMS, ArchivePageForm, MissingItemsForm, ReasonForm
from hukou.models import AccessLog, ArchivePage, BusinessType, Case, DuplicateSuspect
from hukou.policy import (
    APPROVER_ROLES,
    RECEIVER_ROLES,
    STATION_STAFF_ROLES,
    case_received_message,
    case_step_done_message,
)
from hukou.selectors.cases import (
    business_type_receivable,
    business_types_receivable,
    case_actions,
    case_request_rows,
    case_transitions,
)
from hukou.selectors.lookup import visible_or_404
from hukou.services import cases as case_services
from hukou.services import casework
from hukou.services.access import access_log_record
from hukou.services.duplicates import duplicate_candidates
from hukou.services.registry import duplicate_suspect_decide

SCAN_TYPES = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


@role_required(*RECEIVER_ROLES)
def case_receive_start(request):
    """Step 1 of receiving: the business types this clerk may receive."""
    types = business_types_receivable(user=request.user)
    return render(request, "hukou/case_receive_start.html", {"business_types": types})


PREFILL = ("applicant_name", "applicant_id_number", "applicant_phone")


def _prefill(request) -> dict:
    """Applicant fields handed over in the query string (from a queue ticket or a booking)."""
    return {name: request.GET[name][:64] for name in PREFILL if request.GET.get(name)}


@role_required(*RECEIVER_ROLES)
def case_receive(request, code: str):
    """Step 2: the applicant and the business's own fields; on success, the new case's page."""
    business_type = business_type_receivable(code=code)
    if business_type is None:
        raise Http404
    form_class = FORMS[business_type.effect]
    form = form_class(request.POST or None, user=request.user, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.case_receive(
                actor=request.user,
                business_type=business_type,
                applicant_name=form.cleaned_data["applicant_name"],
                applicant_id_number=form.cleaned_data["applicant_id_number"],
                applicant_phone=form.cleaned_data["applicant_phone"],
                household=form.household(),
                person=form.person(),
                payload=form.payload(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, case_received_message(case))
            return_to = request.GET.get("return_to", "")
            if return_to and url_has_allowed_host_and_scheme(return_to, allowed_hosts={request.get_host()}):
                # Whoever sent the clerk here (a queue ticket) learns the case: hukou stays unaware.
                return redirect(f"{return_to}?case={case.pk}")
            return redirect("hukou:case_detail", pk=case.pk)
    if request.method == "POST":
        _log_rerendered(request, form)
    return render(request, "hukou/case_receive.html", {"form": form, "business_type": business_type})


# Keys the services name in their errors ("payload.father_id") and the form fields they came from.
_FORM_FIELD_OF = {"father_id": "father_id_number", "mother_id": "mother_id_number", "address_id": "address"}


def _add_service_error(form, exc: ValidationError) -> None:
    """Shows a service's refusal at the field it concerns, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, messages_ in exc.message_dict.items():
        name = key.rsplit(".", 1)[-1]
        name = _FORM_FIELD_OF.get(name, name)
        form.add_error(name if name in form.fields and name in form.cleaned_data else None, messages_)


def _log_rerendered(request, form) -> None:
    """The form comes back with what was typed and the registry's answer about the person or
    household it found (a name in an error, a status): that is a view of their data."""
    cleaned = getattr(form, "cleaned_data", {})
    person, household = cleaned.get("person_id_number") or cleaned.get("existing_id_number"), form.household()
    if person is None and household is None:
        return
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=person if person is not None else household,
        purpose="受理表单",
        persons=[person] if person is not None else household.members.all(),
    )


@role_required(*STATION_STAFF_ROLES)
def case_detail(request, pk: int):
    """A case: who asked for what, every step so far, and the steps this user may take now."""
    related = ("business_type", "received_by", "approved_by", "household__address__community", "person")
    case = visible_or_404(Case, user=request.user, pk=pk, related=related)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=case,
        purpose="办件查看",
    )
    effect, transitions = case.business_type.effect, case_transitions(case=case)
    context = {
        "case": case,
        "actions": case_actions(case=case, user=request.user),
        "request_rows": case_request_rows(case=case),
        "transitions": transitions,
        "sent_back_note": transitions[-1].note if case.status == Case.Status.RETURNED and transitions else "",
        "id_card": getattr(case, "id_card", None) if effect == BusinessType.Effect.ID_CARD else None,
        "archive_pages": case.archive.all() if effect == BusinessType.Effect.ARCHIVE else [],
        "duplicates": _duplicates(case),
        "reason_form": ReasonForm(),
        "missing_form": MissingItemsForm(),
        "archive_form": ArchivePageForm(),
    }
    return render(request, "hukou/case_detail.html", context)


def _duplicates(case: Case) -> list:
    """For a case that will add a person: residents who may be the same one, for the approver."""
    effect = case.business_type.effect
    person = case.payload.get("person") if effect == BusinessType.Effect.MOVE_IN else case.payload
    adds_person = effect in (BusinessType.Effect.ADD_PERSON, BusinessType.Effect.MOVE_IN)
    if not adds_person or not person or case.status != Case.Status.UNDER_REVIEW:
        return []
    found = duplicate_candidates(
        name=person.get("name"),
        sex=person.get("sex"),
        birth_date=person.get("birth_date"),
        father_id=_record_id(person.get("father_id")),
        mother_id=_record_id(person.get("mother_id")),
    )
    # Only residents of the case's own station: another station's are not this user's to see.
    return [(other, reason) for other, reason in found if other.household.station_id == case.station_id]


def _record_id(value) -> int | None:
    """An id from a stored payload, or None when it is not one (stored before reception checked)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _missing_items(post) -> list[str]:
    form = MissingItemsForm(post)
    return form.items() if form.is_valid() else []


# The workflow steps of hukou.policy.CASE_STEPS, each with its service (the rules live there).
CASE_STEP_SERVICES = {
    "submit": lambda actor, pk, post: case_services.case_submit_for_review(
        actor=actor, case_id=pk, note=post.get("note", "")
    ),
    "complete": lambda actor, pk, post: case_services.case_complete(actor=actor, case_id=pk, note=post.get("note", "")),
    "approve": lambda actor, pk, post: case_services.case_approve(actor=actor, case_id=pk, note=post.get("note", "")),
    "send_back": lambda actor, pk, post: case_services.case_send_back(
        actor=actor, case_id=pk, reason=post.get("reason", "")
    ),
    "reject": lambda actor, pk, post: case_services.case_reject(actor=actor, case_id=pk, reason=post.get("reason", "")),
    "accept_with_missing": lambda actor, pk, post: case_services.case_accept_with_missing(
        actor=actor, case_id=pk, missing_items=_missing_items(post)
    ),
    "supplement": lambda actor, pk, post: case_services.case_supplement_received(actor=actor, case_id=pk),
}


def _run(request, action: str, case: Case):
    if action in CASE_STEP_SERVICES:
        return CASE_STEP_SERVICES[action](request.user, case.pk, request.POST)
    return _run_casework(request, action, case)


def _run_casework(request, action: str, case: Case):
    user, pk = request.user, case.pk
    steps = {
        "id_photo": lambda: casework.id_card_photo_taken(actor=user, case_id=pk),
        "id_fingerprint": lambda: casework.id_card_fingerprint_taken(actor=user, case_id=pk),
        "id_fee": lambda: casework.id_card_fee_paid(actor=user, case_id=pk, amount=request.POST.get("amount") or 0),
        "id_ready": lambda: casework.id_card_ready(actor=user, case_id=pk),
        "id_collected": lambda: casework.id_card_collected(
            actor=user, case_id=pk, collected_by_name=request.POST.get("collected_by_name", "")
        ),
        "archive_page": lambda: _archive_page(request, case),
    }
    if action not in steps:
        raise ValidationError(_("Unknown step."), code="unknown_step")
    return steps[action]()


def _archive_page(request, case: Case):
    form = ArchivePageForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(_("Choose a scanned file and give it a title."), code="archive_invalid")
    return casework.archive_page_add(
        actor=request.user,
        file=form.cleaned_data["file"],
        title=form.cleaned_data["title"],
        household=case.household,
        person=case.person if case.household is None else None,
        case=case,
    )


@require_POST
@role_required(*STATION_STAFF_ROLES)
def case_action(request, pk: int, action: str):
    """Takes one step on a case; a refusal is shown as the service's message, nothing written."""
    case = visible_or_404(Case, user=request.user, pk=pk)
    try:
        _run(request, action, case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, case_step_done_message(action, case))
    return redirect("hukou:case_detail", pk=case.pk)


@require_POST
@role_required(*APPROVER_ROLES)
def duplicate_decide(request, pk: int):
    """The approver confirms (cancels the later registration) or dismisses a suspected duplicate."""
    suspect = visible_or_404(DuplicateSuspect, user=request.user, pk=pk)
    try:
        duplicate_suspect_decide(
            actor=request.user,
            suspect_id=suspect.pk,
            confirmed=request.POST.get("decision") == "confirm",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("hukou:approvals")


@role_required(*STATION_ROLES)
def archive_page_download(request, pk: int):
    """A scanned archive page, for staff of its station only; every opening is access-logged.
    Uploaded files are never served as public media."""
    page = visible_or_404(ArchivePage, user=request.user, pk=pk)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=page,
        purpose="档案查阅",
    )
    # The type comes from what the pipeline stored (jpg/png/pdf); a page stored before the
    # pipeline existed, of any other kind, is only ever offered as a download.
    name = page.file.name.rsplit("/", 1)[-1]
    content_type = SCAN_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    return safe_file_response(file=page.file.open("rb"), content_type=content_type, filename=name)
