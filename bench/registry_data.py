"""Synthetic registry data for the benchmarks: households of families with valid ID numbers.

``ensure_registry(persons, households)`` fills the current database (Django set up and
migrated) through the real bulk import (``hukou.services.importer.registry_import``) and
reuses what is there when called again. Other benchmarks (eligibility) call it too.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from common.idnumber import make_id_number

STATION_CODE = "BENCH"
COMMUNITIES = 100
ROADS = ["青山路", "八一大道", "阳明路", "叠山路", "中山路", "胜利路", "象山路", "民德路", "苏圃路", "子固路"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文玉梅斌辉鹏飞宇浩"
    "然子涵欣怡梓萱诗琪雨轩思远博文俊杰晓东海燕春兰丹凤"
)
REGIONS = [
    "360102", "360103", "360104", "360111", "360112", "360113", "360121",
    "360123", "360124", "360203", "360222", "360281", "360302",
]  # fmt: skip
HEADER = ["household_number", "community", "road", "house_number", "building", "unit", "room",
          "relationship", "name", "id_number", "sex", "birth_date", "registered_on"]  # fmt: skip


def community_name(index: int) -> str:
    return f"基准{index}社区"


def household_sizes(persons: int, households: int, rng: random.Random) -> list[int]:
    """Sizes between 1 and 6 summing to ``persons``: families, not a flat 2.5 each."""
    sizes = [persons // households] * households
    for index in range(persons % households):
        sizes[index] += 1
    for _ in range(households):
        give, take = rng.randrange(households), rng.randrange(households)
        if sizes[give] > 1 and sizes[take] < 6:
            sizes[give] -= 1
            sizes[take] += 1
    return sizes


class _Ids:
    """Unique valid ID numbers: (region, birth date, order code) never repeats."""

    def __init__(self):
        self.used: dict[dt.date, int] = {}

    def make(self, birth: dt.date, male: bool) -> str:
        count = self.used.get(birth, 0)
        self.used[birth] = count + 1
        region = REGIONS[count // 500]
        return make_id_number(region=region, birth_date=birth, sequence=count % 500, male=male)


def _day(rng: random.Random, start: int, end: int) -> dt.date:
    return dt.date(start, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(end, 1, 1) - dt.date(start, 1, 1)).days))


def _name(rng: random.Random, surname: str) -> str:
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _members(size: int, rng: random.Random, ids: _Ids) -> Iterator[tuple[str, str, str, dt.date, str]]:
    """(relationship, name, sex, birth date, ID number) of one household: head, spouse,
    children born 2008-2023 (school age for the eligibility benchmark), then a parent."""
    surname = rng.choice(SURNAMES)
    head_male = rng.random() < 0.7
    head_birth = _day(rng, 1965, 1995)
    yield "02", _name(rng, surname), "男" if head_male else "女", head_birth, ids.make(head_birth, head_male)
    for position in range(1, size):
        if position == 1 and size > 1:
            relationship, male, birth = (
                ("12", False, _day(rng, 1965, 1995)) if head_male else ("11", True, _day(rng, 1965, 1995))
            )
            name = _name(rng, rng.choice(SURNAMES))
        elif position < 5:
            male = rng.random() < 0.5
            relationship, birth, name = ("20" if male else "30"), _day(rng, 2008, 2023), _name(rng, surname)
        else:
            male = rng.random() < 0.5
            relationship, birth, name = ("51" if male else "52"), _day(rng, 1935, 1960), _name(rng, surname)
        yield relationship, name, "男" if male else "女", birth, ids.make(birth, male)


def rows(persons: int, households: int, seed: int = 2026) -> Iterator[list]:
    """Import-file rows (see HEADER) for ``persons`` persons in ``households`` households."""
    rng, ids = random.Random(seed), _Ids()
    for index, size in enumerate(household_sizes(persons, households, rng)):
        place = [f"36019{index:09d}", community_name(index % COMMUNITIES), ROADS[(index // COMMUNITIES) % len(ROADS)],
                 str(index // (COMMUNITIES * len(ROADS)) + 1), "1", "1", "101"]  # fmt: skip
        for relationship, name, sex, birth, number in _members(size, rng, ids):
            yield [*place, relationship, name, number, sex, birth.isoformat(), "2015-03-01"]


def write_file(path: Path, persons: int, households: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows(persons, households))
    return path


def ensure_station():
    from hukou.models import Community, Station

    station, _ = Station.objects.get_or_create(code=STATION_CODE, defaults={"name": "基准派出所", "district": "基准区"})
    existing = set(Community.objects.filter(station=station).values_list("name", flat=True))
    Community.objects.bulk_create(
        Community(station=station, district="基准区", subdistrict="基准街道", name=community_name(n))
        for n in range(COMMUNITIES)
        if community_name(n) not in existing
    )
    return station


def ensure_registry(persons: int, households: int, *, path: Path | None = None) -> dict:
    """Make sure station BENCH holds ``persons`` persons in ``households`` households, loading
    them through the bulk import if it is empty; reuse them if they are there already.
    Returns {"station", "persons", "households", "reused", "seconds", "rows_per_second"}."""
    from hukou.models import Person
    from hukou.services.importer import registry_import

    station = ensure_station()
    present = Person.objects.filter(household__station=station).count()
    if present >= persons:
        return {"station": station, "persons": present, "households": households, "reused": True, "seconds": 0.0}
    if present:
        raise RuntimeError(f"station {STATION_CODE} holds {present} persons, not {persons}; use a fresh database")
    path = path or Path(tempfile.gettempdir()) / f"hukou_bench_registry_{persons}_{households}.csv"
    if not path.exists():
        write_file(path, persons, households)
    started = time.perf_counter()
    result = registry_import(path=path, station=station, reason="基准数据导入")
    seconds = time.perf_counter() - started
    if result.error_count:
        raise RuntimeError(f"bench data refused: {result.errors[:5]}")
    return {"station": station, "persons": result.imported_rows, "households": households, "reused": False,
            "seconds": seconds, "rows_per_second": result.imported_rows / seconds,
            "check_seconds": result.check_seconds, "write_seconds": result.write_seconds}  # fmt: skip
