"""Person and household pages. Every view of personal data is access-logged with its purpose."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from common.permissions import role_required
from common.roles import APPROVER_ROLES, RECEIVER_ROLES
from hukou.models import AccessLog
from hukou.selectors.registry import household_detail, person_detail
from hukou.selectors.timeline import household_timeline, person_timeline
from hukou.services.access import access_log_record

STAFF_ROLES = (*RECEIVER_ROLES, *APPROVER_ROLES)
# Why a clerk reads personal data; chosen on the workbench search bar and carried in the links.
PURPOSES = {
    "counter": _("Counter business"),
    "verify": _("Identity verification"),
    "certificate": _("Issuing a certificate"),
    "case": _("Case review"),
    "inquiry": _("Inquiry by another authority"),
}


def purpose_of(request) -> str:
    """The purpose as logged: a known code's label, else the text given (API clients), else
    ordinary counter business."""
    given = (request.GET.get("purpose") or "").strip()
    return str(PURPOSES.get(given or "counter", given))


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
    context = {"person": person, "timeline": person_timeline(person=person)}
    return render(request, "hukou/person_detail.html", context)


@role_required(*STAFF_ROLES)
def household_page(request, pk: int):
    """One household: address, members and relationships, guardians, history."""
    household = household_detail(user=request.user, household_id=pk)
    access_log_record(
        request=request, action=AccessLog.Action.VIEW, target=f"household:{household.pk}", purpose=purpose_of(request)
    )
    context = {"household": household, "timeline": household_timeline(household=household)}
    return render(request, "hukou/household_detail.html", context)
