"""The clerk's side: the station's applications, the review screen (checklist beside the images
with the automatic verdicts), receiving as a case, accepting with missing items, overrides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.http import client_address
from common.permissions import role_required
from documents.forms import BeyondNoticeForm, OverrideForm
from documents.policy import STATION_ADMIN, STATION_STAFF, WINDOW
from documents.selectors import application_detail, station_applications, station_counts
from documents.services.notices import notice_issue, notice_request_beyond
from documents.services.window import application_accept_with_missing, application_to_case, verdict_override
from documents.views import message_error
from hukou.models import AccessLog
from hukou.services.access import access_log_record


@role_required(*STATION_STAFF, *STATION_ADMIN)
def station_list(request):
    applications = list(station_applications(user=request.user))
    # Applicants' and children's names: a list of personal data, logged with the children shown.
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.SEARCH,
        target="applications:station",
        purpose="材料预审",
        persons=[application.child for application in applications if application.child_id],
    )
    context = {"applications": applications, "counts": station_counts(user=request.user)}
    return render(request, "documents/station_list.html", context)


@role_required(*STATION_STAFF)
def review(request, pk: int):
    application = application_detail(user=request.user, application_id=pk)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target=f"application:{application.pk}",
        purpose="材料预审",
        person=application.child,
        station_id=application.station_id,
    )
    context = {
        "application": application,
        "notice": application.notices.first(),
        "override_form": OverrideForm(),
        "checklist_items": application.checklist.items.all(),
        "window_roles": WINDOW,
    }
    return render(request, "documents/review.html", context)


def _step(request, pk: int, run, done: str):
    try:
        run()
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, done)
    return redirect("documents:review", pk=pk)


@role_required(*WINDOW)
@require_POST
def receive(request, pk: int):
    application_detail(user=request.user, application_id=pk)  # 404 unless visible, before the form
    return _step(
        request, pk, lambda: application_to_case(actor=request.user, application_id=pk), _("Received as a case.")
    )


@role_required(*WINDOW)
@require_POST
def accept_with_missing(request, pk: int):
    application_detail(user=request.user, application_id=pk)  # 404 unless visible, before the form
    return _step(
        request,
        pk,
        lambda: application_accept_with_missing(actor=request.user, application_id=pk),
        _("Accepted with missing materials; the applicant has 3 working days."),
    )


@role_required(*WINDOW)
@require_POST
def notice_new(request, pk: int):
    application_detail(user=request.user, application_id=pk)  # 404 unless visible
    return _step(request, pk, lambda: notice_issue(application_id=pk, actor=request.user), _("Notice issued."))


@role_required(*WINDOW)
@require_POST
def override(request, pk: int):
    application_detail(user=request.user, application_id=pk)  # 404 unless visible, before the form
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("An override needs a verdict and a reason; it is recorded."))
        return redirect("documents:review", pk=pk)
    data = form.cleaned_data
    return _step(
        request,
        pk,
        lambda: verdict_override(
            actor=request.user,
            upload_id=data["upload"],
            audit_point_code=data["point"],
            result=data["result"],
            reason=data["reason"],
        ),
        _("Override recorded."),
    )


@role_required(*WINDOW)
@require_POST
def beyond_notice(request, pk: int):
    application_detail(user=request.user, application_id=pk)  # 404 unless visible, before the form
    form = BeyondNoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a material."))
        return redirect("documents:review", pk=pk)
    return _step(
        request,
        pk,
        lambda: notice_request_beyond(
            actor=request.user,
            application_id=pk,
            item_id=form.cleaned_data["item"],
            reason=form.cleaned_data["reason"] or "",
        ),
        _("Request recorded."),
    )
