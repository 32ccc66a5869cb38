"""Who may call which endpoint: DRF permission classes built from hukou's policy, declared once."""

from common.permissions import HasRole
from hukou.policy import (
    APPROVER_ROLES,
    RECEIVER_ROLES,
    REGISTRY_EDITOR_ROLES,
    REGISTRY_READER_ROLES,
    STATION_STAFF_ROLES,
)

STATION_STAFF = HasRole.of(*STATION_STAFF_ROLES)
RECEIVERS = HasRole.of(*sorted(RECEIVER_ROLES))
APPROVERS = HasRole.of(*sorted(APPROVER_ROLES))
EDITORS = HasRole.of(*sorted(REGISTRY_EDITOR_ROLES))
# Registry reads: station staff and system admins (who see every station).
REGISTRY_READERS = HasRole.of(*REGISTRY_READER_ROLES)
