"""Clerk, approver and station-admin screens. Thin: parse, call a selector or service, render."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from common.permissions import role_required
from common.roles import APPROVER_ROLES, RECEIVER_ROLES, Role
from hukou.models import AccessLog, Case
from hukou.purposes import PURPOSES
from hukou.selectors.cases import open_duplicate_suspects, overdue_cases, stalled_cases
from hukou.selectors.registry import household_list, person_search
from hukou.services.access import access_log_record
from hukou.views.registry import purpose_of


@role_required(*RECEIVER_ROLES, *APPROVER_ROLES)
def workbench(request):
    """The clerk's start page: search the station's registry, see the station's open cases."""
    query = request.GET.get("q", "").strip()
    purpose = request.GET["purpose"] if request.GET.get("purpose") in PURPOSES else "counter"
    if query:
        access_log_record(
            request=request, action=AccessLog.Action.SEARCH, target=f"q={query}", purpose=purpose_of(request)
        )
    page = Paginator(household_list(user=request.user, query=query), 25).get_page(request.GET.get("page"))
    persons = person_search(user=request.user, query=query)[:25] if query else []
    open_cases = (
        Case.objects.visible_to(request.user)
        .exclude(status__in=[Case.Status.COMPLETED, Case.Status.REJECTED, Case.Status.LAPSED])
        .select_related("business_type")[:20]
    )
    return render(
        request,
        "hukou/workbench.html",
        {
            "page": page,
            "persons": persons,
            "query": query,
            "open_cases": open_cases,
            "purpose": purpose,
            "purposes": PURPOSES.items(),
        },
    )


@role_required(*APPROVER_ROLES)
def approvals(request):
    """The approver's start page: cases of the station waiting for sign-off."""
    cases = (
        Case.objects.visible_to(request.user)
        .filter(status=Case.Status.UNDER_REVIEW)
        .select_related("business_type", "received_by")
        .order_by("due_on")
    )
    duplicates = list(open_duplicate_suspects(user=request.user))
    shown = [person for suspect in duplicates for person in (suspect.person, suspect.suspected_of)]
    access_log_record(
        request=request, action=AccessLog.Action.VIEW, target="approvals", purpose="审签待办", persons=shown
    )
    return render(request, "hukou/approvals.html", {"cases": cases, "duplicates": duplicates})


@role_required(Role.STATION_ADMIN)
def station_overview(request):
    """The station admin's start page: windows, staff, overdue cases, recent access."""
    station = request.user.station
    today = timezone.localdate()
    overdue = overdue_cases(user=request.user, today=today)
    stalled = stalled_cases(user=request.user, today=today)
    recent_access = AccessLog.objects.filter(station=station).select_related("user")[:20]
    return render(
        request,
        "hukou/station_overview.html",
        {
            "station": station,
            "windows": station.windows.all(),
            "staff": station.staff.order_by("role", "username"),
            "overdue": overdue,
            "stalled": stalled,
            "recent_access": recent_access,
        },
    )
