"""The roles of 户籍e窗. What each role may do in the registry is hukou's policy (hukou/policy.py).

Kept in the shared kernel (not in ``accounts``) so that ``hukou`` can check roles without
importing any other app: every app reads ``user.role`` and ``user.station_id`` only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Counter clerk")
    AUX_CLERK = "aux_clerk", _("Auxiliary clerk")
    APPROVER = "approver", _("Approver")
    STATION_ADMIN = "station_admin", _("Station admin")
    SCHOOL_STAFF = "school_staff", _("School staff")
    PARENT = "parent", _("Parent")
    SYSTEM_ADMIN = "system_admin", _("System admin")


# Roles that belong to one police station and only ever see that station's data.
STATION_ROLES = frozenset({Role.CLERK, Role.AUX_CLERK, Role.APPROVER, Role.STATION_ADMIN})


def has_role(user, *roles: str) -> bool:
    """True if ``user`` is authenticated and holds one of ``roles``."""
    return bool(user and user.is_authenticated and getattr(user, "role", None) in roles)
