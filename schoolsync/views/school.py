"""The school staff start page: eligibility lookup by ID number and the registry-change notices."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.http import client_address
from common.permissions import role_required
from common.roles import Role
from hukou.models import AccessLog
from hukou.services.access import access_log_record
from schoolsync.forms import LookupForm
from schoolsync.ratelimit import lookup_allowed
from schoolsync.selectors.notices import school_notices, school_notices_unread_count
from schoolsync.services.eligibility import NoRulesPublished, NotVisible, eligibility_lookup
from schoolsync.services.notices import NoticeNotVisible, school_notice_mark_read

NOTICES_PER_PAGE = 20


def _page(request, **context):
    school = request.user.school
    notices = school_notices(school=school)
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target=f"school_notices:{school.code}",
        purpose=_("School notices"),
    )
    status = context.pop("status", 200)
    context.setdefault("form", LookupForm())
    unread_count = school_notices_unread_count(school=school)
    return render(
        request,
        "schoolsync/school_home.html",
        {"school": school, "page": page, "unread_count": unread_count, **context},
        status=status,
    )


@role_required(Role.SCHOOL_STAFF)
def school_home(request):
    return _page(request)


@require_POST
@role_required(Role.SCHOOL_STAFF)
def school_lookup(request):
    form = LookupForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    allowed, _wait = lookup_allowed(request.user)
    if not allowed:
        form.add_error(None, _("Too many requests; please wait and try again."))
        return _page(request, form=form, status=429)
    try:
        lookup = eligibility_lookup(
            actor=request.user,
            client_address=client_address(request),
            id_number=form.cleaned_data["id_number"],
            year=form.cleaned_data["year"],
            purpose=form.cleaned_data["purpose"],
        )
    except ValidationError as exc:
        form.add_error("id_number", exc)
        return _page(request, form=form, status=400)
    except NotVisible:
        return _page(request, form=form, not_found=True, status=404)
    except NoRulesPublished as exc:
        return _page(request, form=form, no_rules=exc.message, status=404)
    return _page(request, form=form, lookup=lookup)


@require_POST
@role_required(Role.SCHOOL_STAFF)
def notice_mark_read(request, event_id: int):
    try:
        school_notice_mark_read(actor=request.user, change_event_id=event_id)
    except NoticeNotVisible:
        raise Http404 from None
    messages.success(request, _("Notice marked as read."))
    return redirect("schoolsync:school_home")
