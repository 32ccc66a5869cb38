"""Who sees which registry rows: one rule, used by every ``visible_to(user)`` queryset.

System admins see everything; station staff see their own station only; every other role sees
nothing of the registry through these querysets (school staff and parents get narrow selectors
of their own that return only what they may know).
"""

from django.db.models import Q

from common.roles import STATION_ROLES, Role

NOTHING = Q(pk__in=[])


def station_filter(user, station_path: str) -> Q:
    if not user or not user.is_authenticated:
        return NOTHING
    if user.role == Role.SYSTEM_ADMIN:
        return Q()
    if user.role in STATION_ROLES and user.station_id:
        return Q(**{station_path: user.station_id})
    return NOTHING
