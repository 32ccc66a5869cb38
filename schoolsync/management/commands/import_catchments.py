"""``manage.py import_catchments FILE.csv``: replace catchments from a CSV file, all or nothing."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from schoolsync.services.catchments import COLUMNS, catchment_import


class Command(BaseCommand):
    help = f"Import school catchments from a UTF-8 CSV file with the columns: {', '.join(COLUMNS)}."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            count = catchment_import(text=path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {count} catchment areas."))
