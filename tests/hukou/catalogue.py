"""The business catalogue for transactional tests.

The catalogue is loaded by a data migration; a transactional test's flush removes it (pytest-django
runs transactional tests after all others, so only they need it back). ``serialized_rollback``
would restore it but clashes with content types recreated by other transactional tests' flushes.
"""

import pytest

from hukou.catalogue import CATALOGUE
from hukou.models import BusinessType


def load_business_catalogue() -> None:
    for code, name, effect, certificate, days, receivers, approvers in CATALOGUE:
        BusinessType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "effect": effect,
                "certificate": certificate,
                "time_limit_working_days": days,
                "receiver_roles": receivers,
                "approver_roles": approvers,
            },
        )


@pytest.fixture
def business_catalogue(transactional_db):
    load_business_catalogue()
