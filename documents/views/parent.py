"""The parent's flow on a phone: start, answer, upload per item, follow the checks live."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.permissions import role_required
from documents.forms import StartForm, UploadForm, answers_from
from documents.policy import PARENT
from documents.selectors import application_detail, application_progress, applications_of_parent, guide_checklists
from documents.services.applications import application_answer, application_commitment_sign, application_start
from documents.services.notices import notice_issue
from documents.services.uploads import upload_receive
from documents.views import message_error
from hukou.selectors.parents import children_of_parent


@role_required(*PARENT)
def my_applications(request):
    context = {
        "applications": applications_of_parent(user=request.user),
        "checklists": guide_checklists(),
        "children": children_of_parent(user=request.user),
    }
    return render(request, "documents/application_list.html", context)


@role_required(*PARENT)
@require_POST
def application_new(request):
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a business."))
        return redirect("documents:my_applications")
    try:
        application = application_start(
            user=request.user, business_type_code=form.cleaned_data["business"], child_id=form.cleaned_data["child"]
        )
    except ValidationError as error:
        message_error(request, error)
        return redirect("documents:my_applications")
    return redirect("documents:questions", pk=application.pk)


@role_required(*PARENT)
def questions(request, pk: int):
    application = application_detail(user=request.user, application_id=pk)
    asked = list(application.checklist.questions.all())
    if request.method == "POST":
        try:
            application_answer(user=request.user, application_id=pk, answers=answers_from(request.POST, asked))
        except ValidationError as error:
            message_error(request, error)
        else:
            return redirect("documents:application", pk=pk)
    context = {"application": application, "questions": asked}
    return render(request, "documents/application_questions.html", context)


@role_required(*PARENT)
def application_page(request, pk: int):
    application = application_detail(user=request.user, application_id=pk)
    if application.answered_at is None:
        return redirect("documents:questions", pk=pk)
    context = {
        "application": application,
        "progress": application_progress(application=application),
        "notice": application.notices.first(),
        "form": UploadForm(),
    }
    return render(request, "documents/application_detail.html", context)


@role_required(*PARENT)
def application_status(request, pk: int):
    """Polled by the page while checks run (a small JSON, no personal data beyond reasons)."""
    application = application_detail(user=request.user, application_id=pk)
    return JsonResponse(application_progress(application=application))


@role_required(*PARENT)
@require_POST
def item_upload(request, pk: int, item_id: int):
    application_detail(user=request.user, application_id=pk)  # 404 unless it is this parent's
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo or PDF to upload."))
        return redirect("documents:application", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        upload_receive(user=request.user, application_item_id=item_id, data=upload.read(), filename=upload.name)
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, _("Uploaded; the automatic check is running."))
    return redirect(reverse("documents:application", args=[pk]) + f"#item-{item_id}")


@role_required(*PARENT)
@require_POST
def commitment_sign(request, pk: int):
    application_detail(user=request.user, application_id=pk)  # 404 unless it is this parent's
    try:
        application_commitment_sign(user=request.user, application_id=pk)
    except ValidationError as error:
        message_error(request, error)
    else:
        messages.success(request, _("Commitment acknowledged."))
    return redirect("documents:application", pk=pk)


@role_required(*PARENT)
@require_POST
def notice_new(request, pk: int):
    application = application_detail(user=request.user, application_id=pk)
    notice = notice_issue(application_id=application.pk, actor=request.user)
    return redirect("documents:notice", pk=pk, version=notice.version)
