"""Models of the school sync, one module per topic."""

from schoolsync.models.delivery import OutboundEvent, SyncReport
from schoolsync.models.schools import School

__all__ = ["OutboundEvent", "School", "SyncReport"]
