"""Schemathesis against the OpenAPI schema: generated requests to every operation, as a clerk of
station East with the cast's objects in the database. No answer may be a 5xx, and every
documented answer must match its schema.

Bounded for CI: ``HUKOU_FUZZ_EXAMPLES`` examples per operation (default 15, about a thousand
requests in all), derandomised so every run sends the same requests (a fixed seed per test).
"""

import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES = int(os.environ.get("HUKOU_FUZZ_EXAMPLES", "15"))


def api_schema():
    """The schema drf-spectacular serves at /api/v1/schema/, generated in-process (no request,
    no database); requests go to the WSGI application in-process too."""
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))
    loaded.app = get_wsgi_application()
    return loaded


schema = api_schema()


@pytest.fixture
def keep_connection():
    """Requests go through the real WSGI handler, whose request_started/finished signals close
    the database connection, and with it the test's transaction (Django's test client
    disconnects them the same way)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(settings, keep_connection, clerk_east, east_child, west_head, school_staff):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "100000/min"),
    }
    return Token.objects.create(user=clerk_east).key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    # Generation only: schemathesis' exhaustive "coverage" phase (run with Phase.explicit) and
    # shrinking would make the run unbounded; a failure prints the request to reproduce it.
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_gets_a_5xx_or_an_answer_off_the_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error, response_schema_conformance]
    )
