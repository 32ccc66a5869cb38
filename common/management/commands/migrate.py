"""``manage.py migrate`` as the database owner.

With ``MIGRATION_DATABASE_URL`` set, the default connection is switched to the owner's user,
password, host and port for the run (the database NAME stays the current one, so a test
database is never swapped for the real one), and afterwards the application's restricted role
(``DATABASE_URL``'s user) gets its grants (``common.dbroles``). Without it, Django's migrate.
"""

from contextlib import contextmanager

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from common.dbroles import db_roles_apply

_OWNER_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def owner_connection(alias: str = DEFAULT_DB_ALIAS):
    """Connect ``alias`` as the owner of MIGRATION_DATABASE_URL for the duration."""
    owner = settings.MIGRATION_DATABASE
    if not owner:
        yield
        return
    connection = connections[alias]
    saved = {key: connection.settings_dict.get(key) for key in _OWNER_KEYS}
    connection.close()
    connection.settings_dict.update({key: owner.get(key) for key in _OWNER_KEYS})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        alias = options["database"]
        if not settings.MIGRATION_DATABASE or alias != DEFAULT_DB_ALIAS:
            return super().handle(*args, **options)
        with owner_connection(alias):
            super().handle(*args, **options)
            if settings.DATABASE_APP_ROLE:
                db_roles_apply(
                    alias=alias, app_role=settings.DATABASE_APP_ROLE, password=settings.DATABASE_APP_PASSWORD
                )
        return None
