"""Models of the school sync, one module per topic."""

from schoolsync.models.catchments import CatchmentArea
from schoolsync.models.delivery import OutboundEvent, SyncReport
from schoolsync.models.eligibility import EligibilityRule, Enrolment, SchoolNoticeRead
from schoolsync.models.schools import School

__all__ = [
    "CatchmentArea",
    "EligibilityRule",
    "Enrolment",
    "OutboundEvent",
    "School",
    "SchoolNoticeRead",
    "SyncReport",
]
