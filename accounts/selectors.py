"""Reads for accounts. The parent's view of the registry lives in ``hukou.selectors.parents``;
these names stay importable from here for the account pages."""

from accounts.models import IdentityClaim, User
from common.roles import Role
from hukou.selectors.parents import (
    cases_of_parent,
    certificates_of_parent,
    children_of_parent,
    parent_identity_confirmed,
)

__all__ = [
    "cases_of_parent",
    "certificates_of_parent",
    "children_of_parent",
    "identity_claims_for_station",
    "parent_identity_confirmed",
    "parent_pending_by_mobile",
]


def parent_pending_by_mobile(*, mobile: str) -> User | None:
    """The parent account with this mobile number whose identity is not verified yet."""
    return User.objects.filter(role=Role.PARENT, mobile=mobile, identity_verified_at__isnull=True).first()


def identity_claims_of_station(*, user):
    """Every identity claim (open or decided) of the station admin's own station."""
    return IdentityClaim.objects.filter(station_id=user.station_id) if user.station_id else IdentityClaim.objects.none()


def identity_claims_for_station(*, user):
    """Open identity claims for the station admin's own station, oldest first."""
    return (
        IdentityClaim.objects.filter(station_id=user.station_id, status=IdentityClaim.Status.OPEN)
        .select_related("claimant", "holder")
        .order_by("created_at")
    )
