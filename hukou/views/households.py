"""Clerk screens that change a household or a guardianship directly (not through a case).

Views are thin: the services in ``hukou.services.registry`` lock the rows, re-check the version
the clerk saw and write history and change events. A stale version shows the current values and
writes nothing; bad input shows the service's Chinese message and writes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.http import client_address
from common.permissions import role_required
from hukou.errors import StaleVersion
from hukou.forms.households import ChangeHeadForm, GuardianAddForm, GuardianEndForm, HouseholdEditForm
from hukou.models import AccessLog, Guardianship, Household, Person
from hukou.selectors.lookup import household_active_members, visible_or_404
from hukou.services.access import access_log_record
from hukou.services.registry import guardianship_end, guardianship_set, household_change_head, household_update
from hukou.views.registry import EDITOR_ROLES


def _household(request, pk: int) -> Household:
    return visible_or_404(Household, user=request.user, pk=pk, related=("address__community", "station"))


def _active_members(household: Household):
    return household_active_members(household=household)


def _refuse_cancelled(request, household: Household):
    messages.error(request, _("This household is cancelled; it can no longer be changed."))
    return redirect("hukou:household_detail", pk=household.pk)


def _stale_message(exc: StaleVersion) -> str:
    return _("%(message)s The values below are the current ones; your change was not saved.") % {"message": exc.message}


@role_required(*EDITOR_ROLES)
def household_edit(request, pk: int):
    """户信息修改: the address (within the station) or the kind, with a reason."""
    household = _household(request, pk)
    if household.status != Household.Status.ACTIVE:
        return _refuse_cancelled(request, household)
    form = HouseholdEditForm(request.POST or None, user=request.user, household=household)
    attempted = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = household_update(
                actor=request.user,
                household_id=household.pk,
                expected_version=data["version"],
                address=data["address"],
                kind=data["kind"],
                reason=data["reason"],
            )
        except StaleVersion as exc:
            messages.error(request, _stale_message(exc))
            attempted = {**data, "kind": Household.Kind(data["kind"]).label}
            household = _household(request, pk)
            form = HouseholdEditForm(user=request.user, household=household)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if saved.version == data["version"]:
                messages.info(request, _("Nothing was changed: the address and kind are as before."))
            else:
                messages.success(request, _("The household was saved."))
            return redirect("hukou:household_detail", pk=household.pk)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=household,
        purpose="户信息修改",
    )
    context = {"household": household, "form": form, "attempted": attempted}
    return render(request, "hukou/household_edit.html", context)


@role_required(*EDITOR_ROLES)
def household_head_change(request, pk: int):
    """户主变更: another active member becomes the head; the old head takes a new relationship."""
    household = _household(request, pk)
    if household.status != Household.Status.ACTIVE:
        return _refuse_cancelled(request, household)
    members = _active_members(household)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=household,
        purpose="户主变更",
        persons=members,
    )
    form = ChangeHeadForm(request.POST or None, household=household, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household_change_head(
                actor=request.user,
                household_id=household.pk,
                new_head_id=data["new_head"],
                old_head_relationship=data["old_head_relationship"],
                expected_version=data["version"],
                reason=data["reason"],
            )
        except StaleVersion as exc:
            messages.error(request, _stale_message(exc))
            household = _household(request, pk)
            members = _active_members(household)
            form = ChangeHeadForm(household=household, members=members)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The head of household was changed."))
            return redirect("hukou:household_detail", pk=household.pk)
    context = {"household": household, "members": members, "form": form}
    return render(request, "hukou/household_head_change.html", context)


def _person(request, pk: int) -> Person:
    return visible_or_404(Person, user=request.user, pk=pk, related=("household",))


@role_required(*EDITOR_ROLES)
def guardian_add(request, person_id: int):
    """监护关系确认: a guardian found by ID number among the station's residents."""
    child = _person(request, person_id)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=child,
        purpose="监护关系登记",
    )
    form = GuardianAddForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guardianship_set(
                actor=request.user,
                child_id=child.pk,
                guardian_id=data["guardian_id_number"].pk,
                relationship=data["relationship"],
                has_custody=data["has_custody"],
                valid_from=data["valid_from"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The guardian was recorded."))
            return redirect("hukou:person_detail", pk=child.pk)
    return render(request, "hukou/guardianship_new.html", {"person": child, "form": form})


@role_required(*EDITOR_ROLES)
def guardian_end(request, pk: int):
    """Ends an open guardianship with a date and a reason (it is kept, never deleted)."""
    guardianship = visible_or_404(Guardianship, user=request.user, pk=pk, related=("child", "guardian"))
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        subject=guardianship.child,
        purpose="监护关系终止",
    )
    form = GuardianEndForm(request.POST or None, valid_from=guardianship.valid_from)
    if request.method == "POST" and form.is_valid():
        try:
            guardianship_end(
                actor=request.user,
                guardianship_id=guardianship.pk,
                valid_until=form.cleaned_data["valid_until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The guardianship was ended."))
            return redirect("hukou:person_detail", pk=guardianship.child_id)
    return render(request, "hukou/guardianship_end.html", {"guardianship": guardianship, "form": form})
