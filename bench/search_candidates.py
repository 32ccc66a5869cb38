"""Household search: handing ~1,000 candidate ids to the count and page queries as ``IN (…)``
placeholders vs one array parameter (``= ANY(%s)``), interleaved in the same run.

Run (any migrated PostgreSQL database; the ids need not exist, the work is the same):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hukou_bench .venv/bin/python bench/search_candidates.py [rounds]

Each round draws 1,001 random ids and takes what the workbench's first page does
(``CappedPaginator(…, 25).page(1)``: the capped count and 25 rows) both ways.
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

from django.db.models import F  # noqa: E402

from common.paging import CappedPaginator  # noqa: E402
from hukou.models import Household  # noqa: E402
from hukou.selectors.registry import _active_member_count, _AnyOf  # noqa: E402


def _page(ids, as_array: bool):
    households = Household.objects.select_related("address__community").annotate(member_count=_active_member_count())
    households = households.filter(_AnyOf(F("pk"), ids)) if as_array else households.filter(pk__in=ids)
    page = CappedPaginator(households.order_by("number"), 25).page(1)
    return page.paginator.count, list(page)


def main(rounds: int) -> None:
    rng = random.Random(13)
    top = max(Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0, 400_000)
    samples = {"IN (1,001 placeholders)": [], "= ANY(one array parameter)": []}
    for _ in range(rounds):
        ids = rng.sample(range(1, top), 1001)
        for label, as_array in zip(samples, (False, True), strict=True):
            started = time.perf_counter()
            _page(ids, as_array)
            samples[label].append((time.perf_counter() - started) * 1000)
    print(f"| candidates handed over (n={rounds}) | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for label, taken in samples.items():
        taken.sort()
        print(f"| {label} | {statistics.median(taken):.1f} | {taken[max(0, int(len(taken) * 0.95) - 1)]:.1f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
