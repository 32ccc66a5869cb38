import os

import pytest
from django.conf import settings

from tests.services import CHECKS, REQUIRE_SERVICES

# Processes the tests start (Celery workers, manage.py) are not under pytest, where settings
# refuse to start without SECRET_KEY when DEBUG is off: they get the suite's key.
os.environ.setdefault("SECRET_KEY", settings.SECRET_KEY)

pytest_plugins = [
    "tests.cast",
    "tests.browser_fixtures",
    "tests.schoolsync.eligibility_fixtures",
    "tests.sms_gateway",
]


def pytest_configure(config):
    """Tests hash passwords with MD5: PBKDF2's deliberate slowness (~0.3 s a hash on the build
    machine) was three quarters of the suite's time, spent in the user factory. Production keeps
    Django's default hashers (config/settings.py does not set PASSWORD_HASHERS); only the test
    process changes them, before any password is hashed."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _real_services(request):
    """Skip (laptop) or fail (CI) a test whose marked service is not available."""
    for marker, missing in CHECKS.items():
        if request.node.get_closest_marker(marker) is None:
            continue
        reason = missing()
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"HUKOU_REQUIRE_SERVICES is on but {marker} is not available: {reason}")
        pytest.skip(f"needs {marker}: {reason}")


@pytest.fixture(autouse=True)
def _chinese_by_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and kick markers live in the cache: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
