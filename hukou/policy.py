"""hukou's policy: which roles do what in the registry, and the one "same station?" check.

Views (``role_required``), API views (``HasRole.of``), services and selectors read these names;
nobody re-declares a role set. ``common.roles`` keeps only what knows nothing of the registry
(``Role``, ``STATION_ROLES``, ``has_role``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from common.roles import Role
from hukou.visibility import can_see_station

# Who may receive a case at the window (auxiliaries may receive but never approve).
RECEIVER_ROLES = frozenset({Role.CLERK, Role.AUX_CLERK})
# Who may sign off a case.
APPROVER_ROLES = frozenset({Role.APPROVER, Role.STATION_ADMIN})
# Who may change households and guardianships directly, outside a case (screens and API alike);
# auxiliary clerks only receive cases.
REGISTRY_EDITOR_ROLES = frozenset({Role.CLERK, Role.APPROVER})
# Who may see full, unmasked resident ID numbers in the registry.
FULL_ID_ROLES = frozenset({Role.CLERK, Role.APPROVER, Role.STATION_ADMIN})
# Station staff who work cases and certificates: the workbench, case and certificate pages and
# their API. A tuple (sorted) because ``role_required(*STATION_STAFF_ROLES)`` takes roles in order.
STATION_STAFF_ROLES = tuple(sorted(RECEIVER_ROLES | APPROVER_ROLES))
# Registry reads (person, household, search, timeline) in the API: station staff plus system
# admins, who see every station (the screens send system admins to the Django admin instead).
REGISTRY_READER_ROLES = (*STATION_STAFF_ROLES, Role.SYSTEM_ADMIN)


class OtherStation(ValidationError, PermissionDenied):
    """The actor may not act on a row of this station.

    A ``ValidationError`` with code ``other_station`` (screens show its Chinese message, the API
    answers 400 with it) and a ``PermissionDenied`` (callers that refuse by role or station
    alike, such as certificates, catch one type)."""

    def __init__(self, message=None):
        super().__init__(
            message or _("This case or household belongs to another police station; it can only be handled there."),
            code="other_station",
        )


def station_check(actor, station_id: int | None, *, message=None) -> None:
    """Raises ``OtherStation`` unless ``actor`` may see rows of ``station_id``: the rule of
    ``hukou.visibility`` (staff of that station, or a system admin). What a system admin may
    *do* is a role question, answered by the caller's role check, not here."""
    if not can_see_station(actor, station_id):
        raise OtherStation(message)
