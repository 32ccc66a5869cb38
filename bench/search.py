"""Registry search at scale: the shapes a clerk types, each timed on the loaded bench registry,
with the EXPLAIN ANALYZE of one query of each shape.

Run (after bench/registry.py or bench.registry_data.ensure_registry loaded ``hukou_bench``):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hukou_bench .venv/bin/python bench/search.py [calls] [--explain]

Baseline in the same run: a primary-key fetch of one person (``Person.objects.get(pk=...)``).
Each search takes what a page shows: ``person_search(...)[:25]`` and, for households, the first
workbench page (``CappedPaginator(household_list(...), 25).page(1)``: the capped count and 25 rows).
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.registry_data import GIVEN, STATION_CODE, SURNAMES  # noqa: E402
from common.paging import CappedPaginator  # noqa: E402
from common.roles import Role  # noqa: E402
from common.text import pinyin_of  # noqa: E402
from hukou.models import Person, Station  # noqa: E402
from hukou.selectors.registry import household_list, person_search  # noqa: E402


def _percentiles(samples):
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)], ordered[-1]


def _timed(function, arguments):
    samples, counts = [], []
    for argument in arguments:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            function(argument)
            samples.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
    return samples, counts


def _persons(query):
    return list(person_search(user=USER, query=query)[:25])


def _households(query):
    page = CappedPaginator(household_list(user=USER, query=query), 25).page(1)
    return page.paginator.count, list(page)


def main(calls: int, explain: bool) -> None:
    rng = random.Random(13)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    sample = list(
        Person.objects.filter(pk__in=[rng.randrange(1, top) for _ in range(calls * 4)]).values_list(
            "name", "id_number", "pk"
        )
    )
    names = [name for name, _, _ in sample][:calls]
    numbers = [number for _, number, _ in sample if number][:calls]
    surnames = [rng.choice(SURNAMES[:20]) for _ in range(calls)]  # the common ones: broad
    pinyin = [pinyin_of(surname + rng.choice(GIVEN))[:5] for surname in surnames]  # 'zhang' / 'liwei'
    shapes = [
        ("person: surname character", _persons, surnames),
        ("person: pinyin prefix", _persons, pinyin),
        ("person: full name", _persons, names),
        ("person: ID number", _persons, numbers),
        ("household: surname character", _households, surnames),
        ("household: pinyin prefix", _households, pinyin),
        ("household: full ID number", _households, numbers),
        ("household: number prefix (11 digits)", _households, [f"36019{rng.randrange(400):06d}" for _ in range(calls)]),
    ]  # fmt: skip
    pks = [pk for _, _, pk in sample][:calls]
    base, _ = _timed(lambda pk: Person.objects.get(pk=pk), pks)
    print(
        f"| shape (n={calls}, {Person.objects.count():,} persons) "
        "| p50 ms | p95 ms | max ms | queries | p95 ÷ baseline p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    b50, b95, bmax = _percentiles(base)
    print(f"| baseline: Person.objects.get(pk=…) | {b50:.2f} | {b95:.2f} | {bmax:.2f} | 1 | 1 |")
    for label, function, arguments in shapes:
        function(arguments[0])  # warm-up
        samples, counts = _timed(function, arguments)
        p50, p95, most = _percentiles(samples)
        print(f"| {label} | {p50:.2f} | {p95:.2f} | {most:.2f} | {min(counts)}–{max(counts)} | {p95 / b95:.0f} |")
    if explain:
        for label, function, arguments in shapes:
            with CaptureQueriesContext(connection) as queries:
                function(arguments[0])
            print(f"\n#### {label}: `{arguments[0]}`\n\n```")
            for query in queries.captured_queries:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + query["sql"])
                    print("\n".join(row[0] for row in cursor.fetchall()))
            print("```")


if __name__ == "__main__":
    USER = User(username="bench_search", role=Role.CLERK, station=Station.objects.get(code=STATION_CODE))
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else 200, "--explain" in sys.argv)
