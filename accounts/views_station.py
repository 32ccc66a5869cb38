"""Station screens for parents' identities: the clerk's check of an ID card at the window, and
the station admin's decisions on competing claims. Both are recorded and access-logged."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors
from accounts.forms import ClaimDecisionForm, MobileForm, WindowIdentityCheckForm
from accounts.services import identity
from common.http import client_address
from common.permissions import role_required
from common.roles import Role
from hukou.models import AccessLog
from hukou.services.access import access_log_record

WINDOW_OUTCOMES = {
    identity.VERIFIED: gettext_lazy("Identity verified: the account is bound and now sees its family."),
    identity.CLAIMED: gettext_lazy(
        "This ID number is already bound to another account; a claim was opened for the station admin to decide."
    ),
}


@require_http_methods(["GET", "POST"])
@role_required(Role.CLERK, Role.STATION_ADMIN)
def identity_window(request):
    """Find a pending parent account by mobile number, then confirm it from the ID card."""
    search = MobileForm(request.GET or None)
    account = None
    if search.is_bound and search.is_valid():
        account = selectors.parent_pending_by_mobile(mobile=search.cleaned_data["mobile"])
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.SEARCH,
            target=f"parent-account:mobile:{search.cleaned_data['mobile'][:3]}****{search.cleaned_data['mobile'][-4:]}",
            purpose="窗口核验家长身份",
        )
    check = WindowIdentityCheckForm(request.POST or None, initial={"user_id": account.pk if account else None})
    if request.method == "POST" and check.is_valid():
        try:
            outcome = identity.identity_confirm_at_window(
                actor=request.user,
                user_id=check.cleaned_data["user_id"],
                id_number_seen=check.cleaned_data["id_number_seen"],
                name_seen=check.cleaned_data["name_seen"],
            )
        except ValidationError as exc:
            check.add_error(None, exc)
        else:
            access_log_record(
                actor=request.user,
                client_address=client_address(request),
                action=AccessLog.Action.VIEW,
                target=f"parent-account:{check.cleaned_data['user_id']}:id:{check.cleaned_data['id_number_seen']}",
                purpose="窗口核验身份证并绑定家长账号",
            )
            messages.success(request, WINDOW_OUTCOMES[outcome])
            return redirect("accounts:identity_window")
    context = {"search": search, "account": account, "check": check}
    if request.user.role == Role.STATION_ADMIN:
        context["claims"] = list(selectors.identity_claims_for_station(user=request.user))
    return render(request, "accounts/identity_window.html", context, status=400 if check.errors else 200)


@require_POST
@role_required(Role.STATION_ADMIN)
def identity_claim_decide(request, pk: int):
    # Another station's claim (or none) is a 404 before anything else is looked at.
    get_object_or_404(selectors.identity_claims_of_station(user=request.user), pk=pk)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose grant or refuse and write down what was checked."))
        return redirect("accounts:identity_window")
    try:
        claim = identity.identity_claim_decide(
            actor=request.user,
            claim_id=pk,
            grant=form.cleaned_data["decision"] == "grant",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:identity_window")
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.VIEW,
        target=f"identity-claim:{claim.pk}:id:{claim.id_number}",
        purpose="所领导裁决身份号码绑定争议",
    )
    messages.success(request, _("The claim was decided: %(status)s") % {"status": claim.get_status_display()})
    return redirect("accounts:identity_window")
