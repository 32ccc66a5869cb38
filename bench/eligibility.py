"""Benchmark of the school eligibility lookup against a large registry.

usage: DATABASE_URL=postgres://... python bench/eligibility.py [--persons 1000000] [--lookups 2000]

Fills the registry to ``--persons`` persons with ``bench.registry_data.ensure_registry`` (or, when
that module is missing, a small fallback generator below), gives a bench school a catchment over
every community and the default rules, then times ``eligibility_lookup`` (validation, person
lookup, visibility, all rules, the 8 items and the access-log write) for random children, next
to a bare primary-key lookup of a person in the same run. Prints p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from common.idnumber import make_id_number  # noqa: E402
from common.roles import Role  # noqa: E402
from hukou.codes import Relationship  # noqa: E402
from hukou.models import Address, Community, Household, Person, Station  # noqa: E402
from schoolsync.models import CatchmentArea, EligibilityRule, School  # noqa: E402
from schoolsync.services.eligibility import eligibility_lookup  # noqa: E402

try:
    from bench.registry_data import ensure_registry
except ImportError:  # the registry helper's generator is not merged yet
    ensure_registry = None

YEAR = 2027
ON = dt.date(2027, 3, 1)
BATCH = 5000


def fallback_ensure_registry(persons: int, households: int) -> None:
    """Top the registry up to ``persons`` persons in ``households`` family households (3 a household)."""
    missing = persons - Person.objects.count()
    if missing < 3:  # close enough: one household is three persons
        return
    station, _ = Station.objects.get_or_create(code="BENCH", defaults={"name": "基准派出所", "district": "基准区"})
    communities = [
        Community.objects.get_or_create(
            district="基准区", subdistrict="基准街道", name=f"基准{n}社区", defaults={"station": station}
        )[0]
        for n in range(100)
    ]
    start = Household.objects.filter(number__startswith="B").count()
    count = max(1, min(households, missing // 3))
    for offset in range(0, count, BATCH):
        _fallback_batch(station, communities, start + offset, min(BATCH, count - offset))
        print(f"  {offset + BATCH} households", file=sys.stderr, end="\r")


@transaction.atomic
def _fallback_batch(station, communities, first: int, size: int) -> None:
    numbers = range(first, first + size)
    addresses = Address.objects.bulk_create(
        Address(community=communities[n % 100], road=f"基准{n % 7}路", number=n // 700 + 1, room=str(n))
        for n in numbers
    )
    homes = Household.objects.bulk_create(
        Household(number=f"B{n:014d}", address=address, station=station)
        for n, address in zip(numbers, addresses, strict=True)
    )
    heads = Person.objects.bulk_create(
        _person(n * 3, home, Relationship.HEAD, 1985) for n, home in zip(numbers, homes, strict=True)
    )
    wives = Person.objects.bulk_create(
        _person(n * 3 + 1, h, Relationship.WIFE, 1987) for n, h in zip(numbers, homes, strict=True)
    )
    children = [_person(n * 3 + 2, home, Relationship.SON, 2016) for n, home in zip(numbers, homes, strict=True)]
    for child, father, mother in zip(children, heads, wives, strict=True):
        child.father, child.mother = father, mother
    Person.objects.bulk_create(children)


def _person(index: int, household, relationship, year: int) -> Person:
    birth = dt.date(year, 1, 1) + dt.timedelta(days=index % 2000)
    male = relationship != Relationship.WIFE
    # Unique by construction: the region part counts blocks of 500 sequence numbers.
    id_number = make_id_number(
        region=f"36{(index // 500) % 10000:04d}", birth_date=birth, sequence=index % 500, male=male
    )
    return Person(
        id_number=id_number,
        name=f"基准{index}",
        sex="M" if male else "F",
        birth_date=birth,
        household=household,
        relationship=relationship,
        registered_at_address_on=birth,
    )


def bench_school() -> User:
    school, _ = School.objects.get_or_create(code="BENCH001", defaults={"name": "基准小学", "district": "基准区"})
    EligibilityRule.objects.get_or_create(school=school, year=YEAR, effective_from=dt.date(2026, 9, 1))
    for community in Community.objects.all():
        CatchmentArea.objects.get_or_create(school=school, year=YEAR, community=community)
    user, _ = User.objects.get_or_create(
        username="bench_school", defaults={"role": Role.SCHOOL_STAFF, "school": school}
    )
    return user


def sample_children(count: int) -> tuple[list[str], list[int]]:
    """Random children's ID numbers and random person ids, drawn with TABLESAMPLE (cheap on 1M rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, id_number FROM hukou_person TABLESAMPLE SYSTEM (5) "
            "WHERE relationship IN ('20', '30') AND status = 'active' AND id_number IS NOT NULL LIMIT %s",
            [count * 5],
        )
        rows = cursor.fetchall()
    if not rows:
        raise SystemExit("The registry has no active children with an ID number to look up.")
    random.shuffle(rows)
    if len(rows) < count:  # a small registry: repeat children rather than time fewer calls
        rows = random.choices(rows, k=count)
    return [row[1] for row in rows[:count]], [row[0] for row in rows[:count]]


def timed(function, arguments) -> list[float]:
    times = []
    for argument in arguments:
        start = time.perf_counter()
        function(argument)
        times.append((time.perf_counter() - start) * 1000)
    return times


def lookup(user):
    def _lookup(id_number):
        eligibility_lookup(actor=user, id_number=id_number, purpose="enrolment", year=YEAR, on=ON)

    return _lookup


def row(name: str, times: list[float]) -> str:
    cuts = statistics.quantiles(times, n=100)
    return f"| {name:<34} | {len(times):>6} | {cuts[49]:>7.2f} | {cuts[94]:>7.2f} | {cuts[98]:>7.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    (ensure_registry or fallback_ensure_registry)(persons=args.persons, households=args.persons // 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = bench_school()
    id_numbers, person_ids = sample_children(args.lookups)
    timed(lookup(user), id_numbers[:50])  # warm-up: connections, caches, translations
    cpu = time.process_time()
    lookups = timed(lookup(user), id_numbers)
    cpu = (time.process_time() - cpu) * 1000 / len(id_numbers)
    baseline = timed(lambda pk: Person.objects.get(pk=pk), person_ids)
    print(f"Registry: {Person.objects.count():,} persons, {Household.objects.count():,} households")
    print(f"Load average (1/5/15 min) after the run: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| measurement                        | calls  | p50 ms  | p95 ms  | p99 ms  |")
    print("|------------------------------------|--------|---------|---------|---------|")
    print(row("eligibility_lookup (service call)", lookups))
    print(row("baseline: Person by primary key", baseline))
    print(f"Client CPU per lookup (this process only, excludes PostgreSQL): {cpu:.2f} ms")


if __name__ == "__main__":
    main()
