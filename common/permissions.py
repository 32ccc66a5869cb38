"""Server-side permission checks shared by views and API endpoints.

Views use ``role_required``; API views use ``HasRole``. Station scoping (a clerk of one station
never sees another's data) lives in each model's ``visible_to(user)`` queryset method.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission

from common.roles import STATION_ROLES, Role, has_role


def role_required(*roles: str):
    """Anonymous users go to the login page; users of another role get a 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied(_("Your role may not open this page."))
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


class HasRole(BasePermission):
    """DRF permission: ``permission_classes = [HasRole.of(Role.CLERK, Role.APPROVER)]``."""

    roles: tuple[str, ...] = ()
    message = "Your role may not use this endpoint."

    @classmethod
    def of(cls, *roles: str) -> type[HasRole]:
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": roles})

    def has_permission(self, request, view) -> bool:
        if not has_role(request.user, *self.roles):
            self.message = _("Your role may not use this endpoint.")
            return False
        return True


class ApiDocsReader(HasRole):
    """The OpenAPI schema and Swagger UI: staff of stations and schools and the system admin,
    never anonymous visitors or parents (the schema maps the whole attack surface)."""

    roles = (*sorted(STATION_ROLES), Role.SCHOOL_STAFF, Role.SYSTEM_ADMIN)
