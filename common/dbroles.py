"""The PostgreSQL role the application runs as, and what it may do.

Migrations run as the database owner (``MIGRATION_DATABASE_URL``); the application connects as
a restricted role (``DATABASE_URL``) that owns nothing, so it cannot ALTER or DISABLE the
access-log trigger, and is granted only what it needs:

* every table: SELECT, INSERT, UPDATE, DELETE; every sequence: USAGE, SELECT;
* the registry (every table of the ``hukou`` app, their history tables included): no DELETE,
  so a person, household, case or certificate can never be hard-deleted by the application;
* the access log and the persons each entry lists (``hukou_accesslog_persons``): INSERT and
  SELECT only (no UPDATE, DELETE; TRUNCATE is never granted).

``db_roles_apply`` is idempotent: ``manage.py migrate`` runs it after every migration run (new
tables get their grants) when ``MIGRATION_DATABASE_URL`` is set, and ``manage.py db_roles``
runs it by hand.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections

ACCESS_LOG_TABLE = "hukou_accesslog"
ACCESS_LOG_TABLES = (ACCESS_LOG_TABLE, "hukou_accesslog_persons")


def registry_tables() -> list[str]:
    """Tables of the hukou app (models, their simple-history tables and many-to-many tables)."""
    models = apps.get_app_config("hukou").get_models(include_auto_created=True)
    return sorted(model._meta.db_table for model in models)


def db_roles_apply(*, alias: str = "default", app_role: str, password: str | None = None) -> None:
    """Create ``app_role`` (LOGIN, no superuser, no CREATEDB/CREATEROLE) if it does not exist,
    set its password when given, and (re)grant exactly the privileges described above in the
    database of ``alias``, which must be connected as the tables' owner."""
    from psycopg import sql

    connection = connections[alias]
    role = sql.Identifier(app_role)
    statements = [
        sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {name}) THEN "
            "CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS; "
            "END IF; END $$"
        ).format(name=sql.Literal(app_role), role=role),
        sql.SQL("GRANT CONNECT ON DATABASE {db} TO {role}").format(
            db=sql.Identifier(connection.settings_dict["NAME"]), role=role
        ),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {role}").format(role=role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}").format(role=role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}").format(role=role),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}").format(role=role),
        sql.SQL("REVOKE DELETE ON {tables} FROM {role}").format(
            tables=sql.SQL(", ").join(sql.Identifier(table) for table in registry_tables()), role=role
        ),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {tables} FROM {role}").format(
            tables=sql.SQL(", ").join(sql.Identifier(table) for table in ACCESS_LOG_TABLES), role=role
        ),
    ]
    if password:
        statements.append(sql.SQL("ALTER ROLE {role} PASSWORD {pw}").format(role=role, pw=sql.Literal(password)))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.as_string(cursor.connection))
