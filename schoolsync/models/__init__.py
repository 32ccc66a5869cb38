"""Models of the school sync, one module per topic."""

from schoolsync.models.catchments import CatchmentArea
from schoolsync.models.delivery import DeliveryAttempt, OutboundDecision, OutboundEvent, SyncReport
from schoolsync.models.eligibility import EligibilityRule, Enrolment, SchoolNoticeRead
from schoolsync.models.schools import School

__all__ = [
    "CatchmentArea",
    "DeliveryAttempt",
    "EligibilityRule",
    "Enrolment",
    "OutboundDecision",
    "OutboundEvent",
    "School",
    "SchoolNoticeRead",
    "SyncReport",
]
