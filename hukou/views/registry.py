"""Person and household pages. Every view of personal data is access-logged with its purpose."""

from django.shortcuts import render

from common.permissions import role_required
from common.roles import APPROVER_ROLES, RECEIVER_ROLES, REGISTRY_EDITOR_ROLES
from hukou.models import AccessLog
from hukou.purposes import purpose_label
from hukou.selectors.registry import household_detail, person_detail
from hukou.selectors.timeline import household_timeline, person_timeline
from hukou.services.access import access_log_record

STAFF_ROLES = (*RECEIVER_ROLES, *APPROVER_ROLES)
# Who may change households and guardianships on screen (hukou.views.households).
EDITOR_ROLES = tuple(sorted(REGISTRY_EDITOR_ROLES))


def purpose_of(request) -> str:
    return purpose_label(request.GET.get("purpose"))


@role_required(*STAFF_ROLES)
def person_page(request, pk: int):
    """One person: identity, household, parents, guardians and the whole timeline."""
    person = person_detail(user=request.user, person_id=pk)
    access_log_record(
        request=request,
        action=AccessLog.Action.VIEW,
        target=f"person:{person.pk}",
        purpose=purpose_of(request),
        person=person,
    )
    context = {"person": person, "timeline": person_timeline(person=person), "editor_roles": EDITOR_ROLES}
    return render(request, "hukou/person_detail.html", context)


@role_required(*STAFF_ROLES)
def household_page(request, pk: int):
    """One household: address, members and relationships, guardians, history."""
    household = household_detail(user=request.user, household_id=pk)
    access_log_record(
        request=request,
        action=AccessLog.Action.VIEW,
        target=f"household:{household.pk}",
        purpose=purpose_of(request),
        persons=household.members.all(),
        station_id=household.station_id,
    )
    context = {
        "household": household,
        "timeline": household_timeline(household=household),
        "editor_roles": EDITOR_ROLES,
    }
    return render(request, "hukou/household_detail.html", context)
