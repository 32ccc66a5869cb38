import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import LoginForm, MobileForm, ParentRegistrationForm
from accounts.services import identity, otp
from common.http import client_address
from common.notifications import NotificationError
from common.permissions import role_required
from common.ratelimit import client_ip, login_blocked, rate_allowed
from common.roles import Role
from hukou.models import AccessLog
from hukou.selectors.certificates import certificate_pdf
from hukou.services.access import access_log_record

logger = logging.getLogger("hukou.accounts")

# Where each role starts after logging in.
START_PAGES = {
    Role.CLERK: "hukou:workbench",
    Role.AUX_CLERK: "hukou:workbench",
    Role.APPROVER: "hukou:approvals",
    Role.STATION_ADMIN: "hukou:station_overview",
    Role.SCHOOL_STAFF: "schoolsync:school_home",
    Role.PARENT: "accounts:parent_home",
    Role.SYSTEM_ADMIN: "admin:index",
}


def home(request):
    return render(request, "home.html")


class HukouLoginView(LoginView):
    """Django's login, refused while the address or the account has too many recent failed
    logins (``common.ratelimit.login_blocked``; failures are counted in ``accounts.signals``)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = login_blocked(request=request, username=request.POST.get("username", ""))
        if wait:
            # Without the password, so that validating the form cannot check it while blocked.
            data = request.POST.copy()
            data["password"] = ""
            form = self.get_form_class()(request, data=data)
            form.errors.clear()
            form.add_error(None, too_many_failed_logins(wait))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def login_guarded(view):
    """Wrap another login view (the admin's) in the same failed-login limit: a POST while
    blocked answers 429 without checking the password."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            wait = login_blocked(request=request, username=request.POST.get("username", ""))
            if wait:
                message = too_many_failed_logins(wait)
                return render(request, "accounts/login_blocked.html", {"message": message}, status=429)
        return view(request, *args, **kwargs)

    return wrapped


def too_many_failed_logins(wait: int) -> str:
    return _("Too many failed logins for this account or address; please try again in %(minutes)s minutes.") % {
        "minutes": max(1, (wait + 59) // 60)
    }


def too_many_attempts(wait: int) -> str:
    return _("Too many attempts from this address; please try again in %(minutes)s minutes.") % {
        "minutes": max(1, (wait + 59) // 60)
    }


@login_required
def start(request):
    return redirect(reverse(START_PAGES[request.user.role]))


@require_http_methods(["GET", "POST"])
def register(request):
    if request.method == "POST" and request.POST.get("action") == "send_code":
        return _register_send_code(request)
    form = ParentRegistrationForm(request.POST or None)
    if request.method == "POST":
        allowed, wait = rate_allowed(scope="register", key=f"ip:{client_ip(request)}")
        if not allowed:
            form.is_valid()
            form.add_error(None, too_many_attempts(wait))
            return render(request, "accounts/register.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            user, outcome = services.parent_register(
                mobile=form.cleaned_data["mobile"],
                password=form.cleaned_data["password1"],
                real_name=form.cleaned_data["real_name"],
                id_number=form.cleaned_data["id_number"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, REGISTER_OUTCOMES[outcome])
            return redirect("accounts:parent_home")
    status = 400 if form.errors else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


REGISTER_OUTCOMES = {
    identity.VERIFIED: gettext_lazy("Your account is ready and your identity is verified."),
    identity.PENDING: gettext_lazy(
        "Your account is ready. Your identity is not verified yet: bring your ID card to the window of "
        "your police station."
    ),
    identity.CLAIMED: gettext_lazy(
        "Your account is ready. This ID number is already bound to another account; your claim was "
        "sent to the police station, please bring your ID card to its window."
    ),
}


def _register_send_code(request):
    """The "send code" button of the registration form: texts a one-time code, keeps what was
    typed, and says so. Rate-limited per number and per address (scope ``otp_send``)."""
    form = ParentRegistrationForm(initial={k: v for k, v in request.POST.items() if not k.startswith("password")})
    mobile_form = MobileForm(request.POST)
    status = 200
    if not mobile_form.is_valid():
        form = ParentRegistrationForm(request.POST)
        form.is_valid()
        return render(request, "accounts/register.html", {"form": form}, status=400)
    try:
        otp.otp_send(
            mobile=mobile_form.cleaned_data["mobile"], purpose=services.REGISTER_PURPOSE, client_key=client_ip(request)
        )
    except otp.CodeRateLimited as exc:
        messages.error(request, too_many_attempts(exc.wait))
        status = 429
    except NotificationError:
        logger.warning("one-time code could not be sent", exc_info=True)
        messages.error(request, _("The text message could not be sent; please try again later."))
        status = 503
    else:
        messages.success(request, _("A verification code was sent to this mobile number."))
    return render(request, "accounts/register.html", {"form": form}, status=status)


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@role_required(Role.PARENT)
def parent_home(request):
    """The parent's page: identity status; once verified, children, cases (网上跟进) and
    certificates. Every view of family data is access-logged."""
    user = request.user
    confirmed = selectors.parent_identity_confirmed(user=user)
    children = list(selectors.children_of_parent(user=user)) if confirmed else []
    cases = list(selectors.cases_of_parent(user=user)[:50]) if confirmed else []
    certificates = list(selectors.certificates_of_parent(user=user)[:50]) if confirmed else []
    if children or cases:
        access_log_record(
            actor=request.user,
            client_address=client_address(request),
            action=AccessLog.Action.VIEW,
            target=(
                "parent:children:"
                + ",".join(str(child.pk) for child in children)
                + (";cases:" + ",".join(case.number for case in cases) if cases else "")
            )[:255],
            purpose="家长查看子女户籍信息及办件进度",
            persons=children,
        )
    context = {
        "children": children,
        "confirmed": confirmed,
        "cases": cases,
        "certificates": certificates,
        "open_claim": user.identity_claims.filter(status="open").first(),
    }
    return render(request, "accounts/parent_home.html", context)


@role_required(Role.PARENT)
def parent_certificate_download(request, pk: int):
    """A valid certificate of one of the parent's own children, as PDF; access-logged."""
    certificate = get_object_or_404(selectors.certificates_of_parent(user=request.user), pk=pk)
    access_log_record(
        actor=request.user,
        client_address=client_address(request),
        action=AccessLog.Action.PRINT,
        target=f"certificate:{certificate.serial}",
        purpose="家长下载子女证明",
        person=certificate.person,
    )
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
