"""Certificate render time vs a bare WeasyPrint render of trivial HTML, in the same run.

Run: DATABASE_URL=... python bench/certificates.py [rounds]
Uses a throwaway station, household and clerk created inside a transaction that is rolled back.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from weasyprint import HTML  # noqa: E402

from accounts.models import User  # noqa: E402
from common.idnumber import make_id_number  # noqa: E402
from common.roles import Role  # noqa: E402
from hukou.models import Address, Certificate, Community, Household, Person, Station  # noqa: E402
from hukou.selectors.certificates import certificate_pdf  # noqa: E402
from hukou.services.certificates import certificate_issue  # noqa: E402


class Rollback(Exception):
    pass


def _fixture():
    station = Station.objects.create(code="BENCH", name="基准派出所", district="东湖区")
    community = Community.objects.create(station=station, district="东湖区", subdistrict="八一街道", name="基准社区")
    address = Address.objects.create(community=community, road="青山路", number=1)
    household = Household.objects.create(number="360102099999999", address=address, station=station)
    clerk = User.objects.create(username="bench_clerk", role=Role.CLERK, station=station)
    people = []
    for i, (name, rel) in enumerate([("王建国", "02"), ("李秀英", "12"), ("王小明", "20"), ("王小红", "30")]):
        born = dt.date(1980 + i * 12, 3, 1)
        people.append(Person.objects.create(
            id_number=make_id_number(region="360102", birth_date=born, sequence=i, male=rel in "0220"),
            name=name, sex="M" if rel in ("02", "20") else "F", birth_date=born, household=household,
            relationship=rel, registered_at_address_on=dt.date(2018, 3, 1),
        ))  # fmt: skip
    return clerk, people[2]


def _time(fn, rounds: int) -> list[float]:
    fn()  # warm-up: font loading, template compilation
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main(rounds: int) -> None:
    rows = []
    try:
        with transaction.atomic():
            clerk, child = _fixture()
            rows.append(
                ("bare WeasyPrint (trivial HTML)", _time(lambda: HTML(string="<p>hello</p>").write_pdf(), rounds))
            )
            for kind in Certificate.Kind.values[1:]:
                certificate = certificate_issue(person=child, kind=kind, actor=clerk)
                rows.append((f"certificate {kind}", _time(lambda c=certificate: certificate_pdf(c), rounds)))
            rows.append(("certificate_issue (idempotent hit)", _time(
                lambda: certificate_issue(person=child, kind="hukou", actor=clerk), rounds)))  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    print(f"{'scenario':40} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}  (n={rounds})")
    for name, samples in rows:
        p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
        print(f"{name:40} {statistics.median(samples):10.1f} {p95:10.1f} {max(samples):10.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
