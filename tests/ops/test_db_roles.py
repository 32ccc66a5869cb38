"""The application's PostgreSQL role cannot delete a person or touch the access log.

The suite itself runs as the owner (pytest creates and drops its test database, which needs
CREATEDB); this test grants the restricted role on that test database exactly as
``manage.py migrate`` does with MIGRATION_DATABASE_URL, then connects as that role."""

import pytest
from django.db import connection

from common.dbroles import db_roles_apply
from hukou.models import AccessLog
from tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROLE, PASSWORD = "hukou_app_test", "hukou-app-test-pw"


@pytest.fixture
def app_connection(east_household):
    import psycopg

    db_roles_apply(app_role=ROLE, password=PASSWORD)
    params = connection.settings_dict
    conn = psycopg.connect(
        host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432, dbname=params["NAME"],
        user=ROLE, password=PASSWORD, autocommit=True,
    )  # fmt: skip
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{ROLE}"')


def refused(conn, statement, params=()):
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement, params)


def test_the_app_role_cannot_delete_a_person(app_connection, east_household):
    person = PersonFactory(household=east_household)

    refused(app_connection, "DELETE FROM hukou_person WHERE id = %s", (person.pk,))
    refused(app_connection, "DELETE FROM hukou_household WHERE id = %s", (east_household.pk,))
    assert app_connection.execute("UPDATE hukou_person SET name = name WHERE id = %s", (person.pk,)).rowcount == 1


def test_the_app_role_can_only_append_to_the_access_log(app_connection, clerk_east):
    AccessLog.objects.create(user=clerk_east, action=AccessLog.Action.VIEW, target="t", purpose="p")

    refused(app_connection, "UPDATE hukou_accesslog SET target = 'x'")
    refused(app_connection, "DELETE FROM hukou_accesslog")
    refused(app_connection, "TRUNCATE hukou_accesslog")
    refused(app_connection, "ALTER TABLE hukou_accesslog DISABLE TRIGGER ALL")
    refused(app_connection, "ALTER TABLE hukou_accesslog DISABLE TRIGGER hukou_accesslog_append_only")
    assert app_connection.execute("SELECT count(*) FROM hukou_accesslog").fetchone() == (1,)
    assert AccessLog.objects.count() == 1


def test_the_app_role_is_no_superuser_and_cannot_create_roles_or_databases(app_connection):
    flags = app_connection.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    ).fetchone()

    assert flags == (False, False, False, False)
