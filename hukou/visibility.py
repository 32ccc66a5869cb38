"""Who sees which registry rows: one rule, used by every ``visible_to(user)`` queryset.

System admins see everything; station staff see their own station only; every other role sees
nothing of the registry through these querysets (school staff and parents get narrow selectors
of their own that return only what they may know).
"""

import operator
from functools import reduce

from django.db import models
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


def can_see_station(user, station_id: int | None) -> bool:
    """The same rule as ``station_filter``, for a row already in hand (saves a join)."""
    if not user or not user.is_authenticated:
        return False
    if user.role == Role.SYSTEM_ADMIN:
        return True
    return user.role in STATION_ROLES and bool(user.station_id) and user.station_id == station_id


class StationScopedQuerySet(models.QuerySet):
    """Base queryset for every row that belongs to a police station.

    Subclasses say where the station is (``station_path``, e.g. ``"household__station"``) and
    get ``visible_to(user)`` with the one rule above. Other apps (appointments, documents) use it
    for their own station-owned rows, so nobody writes the rule again.
    """

    # One path, or a tuple of paths of which any may lead to the user's station.
    station_path: str | tuple[str, ...] = "station"

    def visible_to(self, user):
        paths = (self.station_path,) if isinstance(self.station_path, str) else self.station_path
        # (Not folded from NOTHING: ``NOTHING | Q()`` would be NOTHING for a system admin.)
        return self.filter(reduce(operator.or_, (station_filter(user, path) for path in paths)))
