"""Who may call which documents endpoint: DRF permission classes from documents.policy, once."""

from common.permissions import HasRole
from documents.policy import PARENT, STATION_STAFF

PARENTS = HasRole.of(*PARENT)
# Clerks read their own station's applications (the querysets scope them; others answer 404).
STAFF_READERS = HasRole.of(*STATION_STAFF)
