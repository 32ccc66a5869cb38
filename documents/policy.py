"""Who may do what in the materials pre-review (one place; views and selectors import it)."""

from common.roles import Role, has_role
from hukou.policy import APPROVER_ROLES, RECEIVER_ROLES
from hukou.visibility import can_see_station

PARENT = (Role.PARENT,)
# Station staff who see applications of their station and the uploads in them.
STATION_STAFF = tuple(sorted({*RECEIVER_ROLES, *APPROVER_ROLES}))
# Who works the window: receives applications as cases, overrides verdicts, asks beyond a notice.
WINDOW = tuple(sorted(RECEIVER_ROLES))
STATION_ADMIN = (Role.STATION_ADMIN,)


def may_see_application(user, application) -> bool:
    """The applicant themself, or staff of the application's station. Not the system admin:
    uploads are scans of ID cards and certificates, like hukou's archive pages, which the system
    admin does not see either (tests/security/authz_expected.py)."""
    if not user or not user.is_authenticated:
        return False
    if application.applicant_id == user.pk:
        return True
    return has_role(user, *STATION_STAFF) and can_see_station(user, application.station_id)


# Application statuses that may still be tied to a booked visit (documents/services/visits.py).
VISIT_TIEABLE = ("draft", "received", "awaiting_supplement")
