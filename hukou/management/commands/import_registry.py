"""``manage.py import_registry FILE --station CODE [--partial]``: import legacy registry data."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hukou.models import ImportJob, Station
from hukou.services.importer import import_job_run


class Command(BaseCommand):
    help = "Import persons and households from a CSV or Excel file; all or nothing unless --partial."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--station", required=True, help="code of the station the data belongs to")
        parser.add_argument("--partial", action="store_true", help="write the valid households even if rows fail")

    def handle(self, *args, file, station, partial, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            station_row = Station.objects.get(code=station)
        except Station.DoesNotExist as exc:
            raise CommandError(f"No station with code {station}") from exc
        job = ImportJob.objects.create(station=station_row, original_name=path.name, partial=partial)
        job = import_job_run(job_id=job.pk, path=path)
        self._report(job)
        if job.status != ImportJob.Status.DONE:
            sys.exit(1)

    def _report(self, job: ImportJob) -> None:
        for error in job.errors:
            self.stderr.write(f"row {error['row']} {error['column']}: {error['message']}")
        if job.error_count > len(job.errors):
            self.stderr.write(f"... and {job.error_count - len(job.errors)} more")
        summary = f"job #{job.pk}: {job.get_status_display()}; {job.imported_rows} of {job.total_rows} rows imported"
        self.stdout.write(summary)
