"""manage.py db_roles: (re)create the application's restricted PostgreSQL role and its grants."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.dbroles import db_roles_apply
from common.management.commands.migrate import owner_connection


class Command(BaseCommand):
    help = "Create the restricted application role of DATABASE_URL and grant it what it needs (run as the owner)."

    def handle(self, *args, **options):
        if not settings.DATABASE_APP_ROLE or not settings.MIGRATION_DATABASE:
            raise CommandError(
                "Needs DATABASE_URL (the app's role) and MIGRATION_DATABASE_URL (the owner), PostgreSQL."
            )
        if settings.MIGRATION_DATABASE.get("USER") == settings.DATABASE_APP_ROLE:
            raise CommandError("DATABASE_URL and MIGRATION_DATABASE_URL name the same role; the app needs its own.")
        with owner_connection():
            db_roles_apply(app_role=settings.DATABASE_APP_ROLE, password=settings.DATABASE_APP_PASSWORD)
        self.stdout.write(f"Role {settings.DATABASE_APP_ROLE}: grants applied.")
