"""Run the reference receiver of the education system (docs/sync-protocol.md)."""

import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schoolsync.receiver.server import FAULTS, faults_parse, receiver_serve


class Command(BaseCommand):
    help = "Run the reference education-system receiver: verifies signatures, stores events once, checks order."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--secret", default=None, help="Shared secret (default: EDU_SYNC_SECRET).")
        parser.add_argument("--store", default="var/edu-receiver.sqlite3", help="SQLite file of received events.")
        parser.add_argument("--tolerance", type=int, default=300, help="Accepted signature age in seconds.")
        faults = parser.add_argument_group("faults (tests, benchmarks, demos)")
        faults.add_argument("--fail-rate", type=float, help="Share of POSTs answered 500 (0..1).")
        faults.add_argument("--slow-rate", type=float, help="Share of POSTs answered only after --slow-delay.")
        faults.add_argument("--slow-delay", type=float, help="Seconds a slow answer takes (default 30).")
        faults.add_argument("--drop-rate", type=float, help="Share of POSTs whose connection is closed unanswered.")
        faults.add_argument("--outage", type=float, help="Drop every POST for this many seconds after start.")
        faults.add_argument("--refuse", action="append", dest="refuse_ids", help="Answer 400 to this event id.")
        faults.add_argument("--seed", type=int, help="Seed of the fault draws (repeatable runs).")

    def handle(self, *args, host, port, secret, store, tolerance, seed=None, **options) -> None:
        secret = secret or settings.EDU_SYNC_SECRET
        if not secret:
            raise CommandError("A shared secret is required (--secret or EDU_SYNC_SECRET).")
        self.stdout.write(f"Education receiver on http://{host}:{port}/ storing into {store}", ending="\n")
        self.stdout.flush()
        keys = ("fail_rate", "slow_rate", "slow_delay", "drop_rate", "outage", "refuse_ids")
        try:
            faults = faults_parse({key: options.get(key) for key in keys}, FAULTS)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with contextlib.suppress(KeyboardInterrupt):
            receiver_serve(
                host=host, port=port, secret=secret, store_path=store, tolerance=tolerance, faults=faults, seed=seed
            )
