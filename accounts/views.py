from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import selectors, services
from accounts.forms import LoginForm, ParentRegistrationForm
from common.permissions import role_required
from common.ratelimit import client_ip, rate_allowed
from common.roles import Role
from hukou.models import AccessLog
from hukou.services.access import access_log_record

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
    """Django's login, with attempts limited per client address (scope ``login``)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        allowed, wait = rate_allowed(scope="login", key=f"ip:{client_ip(request)}")
        if not allowed:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, too_many_attempts(wait))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def too_many_attempts(wait: int) -> str:
    return _("Too many attempts from this address; please try again in %(minutes)s minutes.") % {
        "minutes": max(1, (wait + 59) // 60)
    }


@login_required
def start(request):
    return redirect(reverse(START_PAGES[request.user.role]))


@require_http_methods(["GET", "POST"])
def register(request):
    form = ParentRegistrationForm(request.POST or None)
    if request.method == "POST":
        allowed, wait = rate_allowed(scope="register", key=f"ip:{client_ip(request)}")
        if not allowed:
            form.is_valid()
            form.add_error(None, too_many_attempts(wait))
            return render(request, "accounts/register.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.parent_register(
                mobile=form.cleaned_data["mobile"],
                password=form.cleaned_data["password1"],
                real_name=form.cleaned_data["real_name"],
                id_number=form.cleaned_data["id_number"],
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("accounts:parent_home")
    status = 400 if form.errors else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@role_required(Role.PARENT)
def parent_home(request):
    confirmed = selectors.parent_identity_confirmed(user=request.user)
    children = list(selectors.children_of_parent(user=request.user)) if confirmed else []
    if children:
        access_log_record(
            request=request,
            action=AccessLog.Action.VIEW,
            target="parent:children:" + ",".join(str(child.pk) for child in children),
            purpose="家长查看子女户籍信息",
            persons=children,
        )
    return render(request, "accounts/parent_home.html", {"children": children, "confirmed": confirmed})
