"""Models of the school sync, one module per topic."""

from schoolsync.models.schools import School

__all__ = ["School"]
