"""Person and household pages. Every view of personal data is access-logged with its purpose."""

from django.shortcuts import render

from common.http import client_address
from common.permissions import role_required
from hukou.models import AccessLog
from hukou.policy import REGISTRY_EDITOR_ROLES, STATION_STAFF_ROLES
from hukou.purposes import purpose_label
from hukou.selectors.registry import household_detail, person_detail
from hukou.selectors.timeline import household_timeline, person_timeline
from hukou.services.access import access_log_record

# Who may change households and guardianships on screen (hukou.views.households).
EDITOR_ROLES = tuple(sorted(REGISTRY_EDITOR_ROLES))


def purpose_of(request) -> str:
    return purpose_label(request.GET.get("purpose"))


@role_required(*STATION_STAFF_ROLES)
def person_page(request, pk: int):
    """One person: identity, household, parents, guardians and the whole timeline."""
    person = person_detail(user=request.user, person_id=pk)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=person,
        purpose=purpose_of(request),
    )
    context = {"person": person, "timeline": person_timeline(person=person), "editor_roles": EDITOR_ROLES}
    return render(request, "hukou/person_detail.html", context)


@role_required(*STATION_STAFF_ROLES)
def household_page(request, pk: int):
    """One household: address, members and relationships, guardians, history."""
    household = household_detail(user=request.user, household_id=pk)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=household,
        purpose=purpose_of(request),
        persons=household.members.all(),
    )
    context = {
        "household": household,
        "timeline": household_timeline(household=household),
        "editor_roles": EDITOR_ROLES,
    }
    return render(request, "hukou/household_detail.html", context)
