"""The PostgreSQL role the application runs as, and what it may do.

Migrations run as the database owner (``MIGRATION_DATABASE_URL``); the application connects as
a restricted role (``DATABASE_URL``) that owns nothing, so it cannot ALTER or DISABLE the
access-log trigger, and is granted only what it needs:

* every table: SELECT, INSERT, UPDATE, DELETE; every sequence: USAGE, SELECT;
* the registry (every table of the ``hukou`` app, their history tables included): no DELETE,
  so a person, household, case or certificate can never be hard-deleted by the application;
* the records of booking/queue and materials pre-review (``RECORD_MODELS``): no DELETE either.
  The apps never delete them (a booking is cancelled, a slot retired, an upload replaced by a
  newer current one, a notice superseded by a new version) and the admin shows them read-only;
  they are the evidence behind no-show suspensions, the display's call sequence, "never texted
  twice", 办不成事 deadlines and the one-time notice's promise. The apps' working rows stay
  deletable because the apps delete them: the items of an application whose answers change, the
  automatic verdicts of a re-run pre-review, schedule rules and windows in the admin (with their
  many-to-many rows), API tokens, sessions, catchment areas on a re-import;
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


# Rows of the newer apps that are written, updated, never deleted (see the module docstring).
RECORD_MODELS = (
    "appointments.Slot", "appointments.Booking", "appointments.Ticket", "appointments.TicketCall",
    "appointments.Reminder", "appointments.Rating", "appointments.FollowUp",
    "documents.Application", "documents.Upload", "documents.Notice", "documents.NoticeOverride", "documents.Reminder",
)  # fmt: skip


def registry_tables() -> list[str]:
    """Tables of the hukou app (models, their simple-history tables and many-to-many tables)."""
    models = apps.get_app_config("hukou").get_models(include_auto_created=True)
    return sorted(model._meta.db_table for model in models)


def no_delete_tables() -> list[str]:
    """Every table the application role may not DELETE from: the registry and the records."""
    return sorted({*registry_tables(), *(apps.get_model(label)._meta.db_table for label in RECORD_MODELS)})


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
            tables=sql.SQL(", ").join(sql.Identifier(table) for table in no_delete_tables()), role=role
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
