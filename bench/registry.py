"""Registry benchmark: bulk load, ID-number lookup, household page and search at scale.

usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything \
           python bench/registry.py --persons 1000000 [--households 400000] [--lookups 10000]

Uses its own database (``--database``, default hukou_bench, dropped and created by the script,
then migrated), never the one in DATABASE_URL. Prints a table:

* bulk load through the import service (``registry_import``: read, validate every row, write
  addresses, households, persons and their history in one transaction) against, in the same
  run, a plain COPY of the same address/household/person rows into the same tables (rolled
  back), and a raw COPY of the file into an unindexed text table for reference;
* lookup by ID number through ``person_by_id_number`` (p50/p95/p99);
* household page (``household_detail`` + ``household_timeline``) and search (``household_list``
  first page and ``person_search``), with the number of queries each took, min and max.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bench_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def recreate_database(url: str, database: str) -> str:
    import psycopg

    admin = _bench_url(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    return _bench_url(url, database)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return statistics.median(ordered), pick(0.95), pick(0.99)


# --- Load ---------------------------------------------------------------------------------


def baseline_rows(path: Path, station_id: int, community_ids: dict[str, int]):
    """The address, household and person rows the import writes, prepared before timing."""
    import csv
    import datetime as dt

    from hukou.services.importer import _pinyin as pinyin_of  # the same (cached) pinyin as the import

    addresses, households, persons, seen = [], [], [], {}
    now, base = dt.datetime.now(dt.UTC), 10**9  # ids far above the import's, the COPY is rolled back
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for number, community, road, house, building, unit, room, rel, name, idn, sex, birth, reg in reader:
            if number not in seen:
                seen[number] = pk = base + len(seen)
                addresses.append((pk, community_ids[community], road, int(house), "", building, unit, room))
                households.append((pk, number, "family", pk, station_id, "active", 1, now, now))
            persons.append((base + len(persons), idn, name, pinyin_of(name), "", "M" if sex == "男" else "F", birth,
                            "01", "", seen[number], rel, "active", reg, None, None, "", 1, now, now))  # fmt: skip
    return addresses, households, persons


def plain_copy(tables) -> float:
    """Seconds to COPY the prepared rows into the real tables (indexes and all), rolled back."""
    from django.db import connection, transaction

    columns = {
        "hukou_address": "id, community_id, road, number, number_suffix, building, unit, room",
        "hukou_household": "id, number, kind, address_id, station_id, status, version, created_at, updated_at",
        "hukou_person": "id, id_number, name, name_pinyin, former_names, sex, birth_date, ethnicity, native_place,"
        " household_id, relationship, status, registered_at_address_on, father_id, mother_id, moved_to, version,"
        " created_at, updated_at",
    }
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for (table, cols), rows in zip(columns.items(), tables, strict=True):
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


def raw_copy(path: Path) -> float:
    """Seconds to COPY the file as text into an unindexed table: the floor of any load."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE raw_registry (" + ", ".join(f"c{i} text" for i in range(13)) + ")")
        with path.open("rb") as handle, cursor.copy("COPY raw_registry FROM STDIN WITH (FORMAT csv, HEADER)") as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


# --- Reads --------------------------------------------------------------------------------


def timed(calls, function) -> tuple[list[float], list[int]]:
    """Milliseconds and number of queries of ``function(argument)`` for each argument.
    Queries are counted with an execute wrapper (the debug query log caps at 9,000)."""
    from django.db import connection

    durations, queries, count = [], [], [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        for argument in calls:
            count[0] = 0
            started = time.perf_counter()
            function(argument)
            durations.append((time.perf_counter() - started) * 1000)
            queries.append(count[0])
    return durations, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--households", type=int, default=0, help="default: persons × 0.4")
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--database", default="hukou_bench")
    parser.add_argument("--reads-only", action="store_true", help="reuse a loaded bench database, time the reads only")
    args = parser.parse_args()
    households = args.households or args.persons * 2 // 5
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at PostgreSQL (the bench creates its own database beside it).")
    path = Path(tempfile.gettempdir()) / f"hukou_bench_registry_{args.persons}_{households}.csv"
    results = []
    if args.reads_only:
        setup_django(_bench_url(url, args.database))
    else:
        setup_django(recreate_database(url, args.database))
        from bench import registry_data

        started = time.perf_counter()
        registry_data.write_file(path, args.persons, households)
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        results += load_rows(path, args.persons, households)
    results += read_rows(args, path)
    print_table(results, args.persons, households)


def load_rows(path: Path, persons: int, households: int) -> list[tuple]:
    from django.db import connection

    from bench import registry_data
    from hukou.models import Community

    station = registry_data.ensure_station()
    community_ids = dict(Community.objects.filter(station=station).values_list("name", "pk"))
    tables = baseline_rows(path, station.pk, community_ids)
    raw = raw_copy(path)
    plain = plain_copy(tables)
    del tables
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")  # so the import does not insert into the baseline's dead index entries
    loaded = registry_data.ensure_registry(persons, households, path=path)
    # The rolled-back baseline left a million dead index entries at the top of every primary
    # key; until (auto)vacuum removes them the planner wades through them on each join estimate
    # (10+ ms of planning per query). Production reaches the same state by autovacuum.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    rate, plain_rate = loaded["rows_per_second"], persons / plain
    return [
        ("Raw COPY of the file into an unindexed text table", f"{persons / raw:,.0f} rows/s", f"{raw:.1f} s"),
        ("Plain COPY of the same rows into the registry tables", f"{plain_rate:,.0f} rows/s", f"{plain:.1f} s"),
        ("Bulk import (validate + write + history, one transaction)", f"{rate:,.0f} rows/s",
         f"{loaded['seconds']:.1f} s; {rate / plain_rate:.2f}× plain COPY (target ≥ 0.50)"),
        ("… of which reading and checking every row", f"{persons / loaded['check_seconds']:,.0f} rows/s",
         f"{loaded['check_seconds']:.1f} s"),
        ("… of which writing rows and their history (COPY)", f"{persons / loaded['write_seconds']:,.0f} rows/s",
         f"{loaded['write_seconds']:.1f} s; {persons / loaded['write_seconds'] / plain_rate:.2f}× plain COPY"),
    ]  # fmt: skip


def _sample_ids(path: Path, count: int) -> list[str]:
    import csv

    rng = random.Random(7)
    with path.open(encoding="utf-8") as handle:
        numbers = [row[9] for row in csv.reader(handle)][1:]
    return rng.sample(numbers, min(count, len(numbers)))


def read_rows(args, path: Path) -> list[tuple]:
    from accounts.models import User
    from common.roles import Role
    from hukou.models import Household, Station
    from hukou.selectors.registry import household_detail, household_list, person_by_id_number, person_search
    from hukou.selectors.timeline import household_timeline

    station = Station.objects.get(code="BENCH")
    clerk, _ = User.objects.get_or_create(username="bench_clerk", defaults={"role": Role.CLERK, "station": station})
    numbers = _sample_ids(path, args.lookups)
    lookup_ms, lookup_q = timed(numbers, lambda n: person_by_id_number(user=clerk, id_number=n))
    assert all(person_by_id_number(user=clerk, id_number=n) for n in numbers[:100])
    ids = list(Household.objects.filter(station=station).order_by("?").values_list("pk", flat=True)[: args.pages])

    def page(pk):
        household = household_detail(user=clerk, household_id=pk)
        [m.open_guardianships for m in household.members.all()]
        household_timeline(household=household)

    page_ms, page_q = timed(ids, page)
    terms = [
        n[:0] + t for n, t in zip(numbers, ("zhang", "wangwei", "李", "陈静", "青山路", "360190000012"), strict=False)
    ]
    terms = (terms * (args.pages // len(terms) + 1))[: min(args.pages, 60)]
    search_ms, search_q = timed(terms, lambda q: list(household_list(user=clerk, query=q)[:25]))
    person_ms, person_q = timed(terms, lambda q: list(person_search(user=clerk, query=q)[:25]))
    return [_reads("Lookup by ID number (person_by_id_number)", lookup_ms, lookup_q, "p99 < 5 ms"),
            _reads("Household page (detail + timeline)", page_ms, page_q, "constant queries"),
            _reads("Household search, first page of 25", search_ms, search_q, "constant queries"),
            _reads("Person search, first 25", person_ms, person_q, "constant queries")]  # fmt: skip


def _reads(label: str, durations: list[float], queries: list[int], target: str) -> tuple:
    p50, p95, p99 = percentiles(durations)
    return (label, f"p50 {p50:.2f} / p95 {p95:.2f} / p99 {p99:.2f} ms",
            f"{len(durations)} calls; queries {min(queries)}–{max(queries)} ({target})")  # fmt: skip


def print_table(results: list[tuple], persons: int, households: int) -> None:
    from django.db import connection

    print(f"\nRegistry benchmark: {persons:,} persons in {households:,} households, PostgreSQL "
          f"{connection.cursor().connection.info.server_version}, {os.cpu_count()} CPU\n")  # fmt: skip
    print("| Scenario | Result | Detail |")
    print("|---|---|---|")
    for row in results:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
