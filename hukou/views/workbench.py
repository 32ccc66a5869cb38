"""Clerk, approver and station-admin screens. Thin: parse, call a selector or service, render."""

from django.shortcuts import render

from common.http import client_address
from common.paging import CappedPaginator
from common.permissions import role_required
from common.roles import Role
from hukou.models import AccessLog
from hukou.policy import APPROVER_ROLES, STATION_STAFF_ROLES
from hukou.purposes import PURPOSES
from hukou.selectors.cases import cases_awaiting_sign_off, open_duplicate_suspects, workbench_open_cases
from hukou.selectors.registry import household_list, person_search
from hukou.selectors.station import station_overview as station_overview_data
from hukou.services.access import access_log_record
from hukou.views.registry import purpose_of


@role_required(*STATION_STAFF_ROLES)
def workbench(request):
    """The clerk's start page: search the station's registry, see the station's open cases."""
    query = request.GET.get("q", "").strip()
    purpose = request.GET["purpose"] if request.GET.get("purpose") in PURPOSES else "counter"
    if query:
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.SEARCH,
            target=f"q={query}",
            purpose=purpose_of(request),
        )
    page = CappedPaginator(household_list(user=request.user, query=query), 25).get_page(request.GET.get("page"))
    persons = person_search(user=request.user, query=query)[:25] if query else []
    open_cases = workbench_open_cases(user=request.user)
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
    cases = cases_awaiting_sign_off(user=request.user)
    duplicates = list(open_duplicate_suspects(user=request.user))
    shown = [person for suspect in duplicates for person in (suspect.person, suspect.suspected_of)]
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target="approvals",
        purpose="审签待办",
        persons=shown,
    )
    return render(request, "hukou/approvals.html", {"cases": cases, "duplicates": duplicates})


@role_required(Role.STATION_ADMIN)
def station_overview(request):
    """The station admin's start page: staff, overdue and stalled cases, recent access, scheduled runs."""
    return render(request, "hukou/station_overview.html", station_overview_data(user=request.user))
