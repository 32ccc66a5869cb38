"""Run the reference receiver of the education system (docs/sync-protocol.md)."""

import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schoolsync.receiver.server import receiver_serve


class Command(BaseCommand):
    help = "Run the reference education-system receiver: verifies signatures, stores events once, checks order."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--secret", default=None, help="Shared secret (default: EDU_SYNC_SECRET).")
        parser.add_argument("--store", default="var/edu-receiver.sqlite3", help="SQLite file of received events.")
        parser.add_argument("--tolerance", type=int, default=300, help="Accepted signature age in seconds.")

    def handle(self, *args, host, port, secret, store, tolerance, **options) -> None:
        secret = secret or settings.EDU_SYNC_SECRET
        if not secret:
            raise CommandError("A shared secret is required (--secret or EDU_SYNC_SECRET).")
        self.stdout.write(f"Education receiver on http://{host}:{port}/ storing into {store}", ending="\n")
        self.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            receiver_serve(host=host, port=port, secret=secret, store_path=store, tolerance=tolerance)
