"""Case screens: choose a business, receive it, see a case and take the steps allowed now.

Thin: forms shape the input, services decide. A refused step shows the service's message and
changes nothing; every case page view is access-logged (it shows personal data).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.permissions import role_required
from common.roles import APPROVER_ROLES, RECEIVER_ROLES, STATION_ROLES
from hukou.forms_cases import FORMS, ArchivePageForm, MissingItemsForm, ReasonForm
from hukou.models import AccessLog, ArchivePage, BusinessType, Case, DuplicateSuspect
from hukou.selectors.cases import case_actions, case_request_rows
from hukou.services import cases as case_services
from hukou.services import casework
from hukou.services.access import access_log_record
from hukou.services.duplicates import duplicate_candidates, duplicate_suspect_decide

STAFF = (*RECEIVER_ROLES, *APPROVER_ROLES)


@role_required(*RECEIVER_ROLES)
def case_receive_start(request):
    """Step 1 of receiving: the business types this clerk may receive."""
    # Catalogue order (birth, death, move-in, ...), as loaded; not alphabetical by code.
    types = [
        bt
        for bt in BusinessType.objects.filter(is_active=True).order_by("pk")
        if request.user.role in bt.receiver_roles
    ]
    return render(request, "hukou/case_receive_start.html", {"business_types": types})


@role_required(*RECEIVER_ROLES)
def case_receive(request, code: str):
    """Step 2: the applicant and the business's own fields; on success, the new case's page."""
    business_type = get_object_or_404(BusinessType, code=code, is_active=True)
    form_class = FORMS[business_type.effect]
    form = form_class(request.POST or None, user=request.user)
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
            messages.success(request, _("Case %(number)s received.") % {"number": case.number})
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
    target = f"person:{person.pk}" if person is not None else f"household:{household.pk}"
    persons = [person] if person is not None else household.members.all()
    access_log_record(request=request, action=AccessLog.Action.VIEW, target=target, purpose="受理表单", persons=persons)


@role_required(*STAFF)
def case_detail(request, pk: int):
    """A case: who asked for what, every step so far, and the steps this user may take now."""
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "business_type", "received_by", "approved_by", "household__address__community", "person"
        ),
        pk=pk,
    )
    access_log_record(request=request, action=AccessLog.Action.VIEW, target=f"case:{case.pk}", purpose="办件查看")
    context = {
        "case": case,
        "actions": case_actions(case=case, user=request.user),
        "request_rows": case_request_rows(case=case),
        "transitions": case.transitions.select_related("actor"),
        "id_card": getattr(case, "id_card", None) if case.business_type.effect == "id_card" else None,
        "archive_pages": case.archive.all() if case.business_type.effect == "archive" else [],
        "duplicates": _duplicates(case),
        "reason_form": ReasonForm(),
        "missing_form": MissingItemsForm(),
        "archive_form": ArchivePageForm(),
    }
    return render(request, "hukou/case_detail.html", context)


def _duplicates(case: Case) -> list:
    """For a case that will add a person: residents who may be the same one, for the approver."""
    person = case.payload.get("person") if case.business_type.effect == "move_in" else case.payload
    if case.business_type.effect not in ("add_person", "move_in") or not person or case.status != "under_review":
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


def _run(request, action: str, case: Case):
    user, pk, post = request.user, case.pk, request.POST
    if action == "submit":
        return case_services.case_submit_for_review(actor=user, case_id=pk, note=post.get("note", ""))
    if action == "complete":
        return case_services.case_complete(actor=user, case_id=pk, note=post.get("note", ""))
    if action == "approve":
        return case_services.case_approve(actor=user, case_id=pk, note=post.get("note", ""))
    if action == "reject":
        return case_services.case_reject(actor=user, case_id=pk, reason=post.get("reason", ""))
    if action == "accept_with_missing":
        form = MissingItemsForm(post)
        items = form.items() if form.is_valid() else []
        return case_services.case_accept_with_missing(actor=user, case_id=pk, missing_items=items)
    if action == "supplement":
        return case_services.case_supplement_received(actor=user, case_id=pk)
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
@role_required(*STAFF)
def case_action(request, pk: int, action: str):
    """Takes one step on a case; a refusal is shown as the service's message, nothing written."""
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    try:
        _run(request, action, case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done."))
    return redirect("hukou:case_detail", pk=case.pk)


@require_POST
@role_required(*APPROVER_ROLES)
def duplicate_decide(request, pk: int):
    """The approver confirms (cancels the later registration) or dismisses a suspected duplicate."""
    suspect = get_object_or_404(DuplicateSuspect.objects.visible_to(request.user), pk=pk)
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
    page = get_object_or_404(ArchivePage.objects.visible_to(request.user), pk=pk)
    access_log_record(
        request=request,
        action=AccessLog.Action.VIEW,
        target=f"archive:{page.pk}",
        purpose="档案查阅",
        person=page.person,
    )
    return FileResponse(page.file.open("rb"), filename=page.file.name.rsplit("/", 1)[-1])
