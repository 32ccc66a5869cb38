"""Certificate render time vs bare WeasyPrint rendering the same HTML with the same fonts.

Run: DATABASE_URL=... python bench/certificates.py [rounds]
Uses a throwaway station, household and clerk created inside a transaction that is rolled back.

Rows, per certificate kind, all in the same run so machine speed cancels out:
- product: ``certificate_pdf`` (template, QR code, WeasyPrint with the process-wide font setup);
- baseline: bare WeasyPrint on the *same* HTML string with the same @font-face stylesheet and
  one FontConfiguration reused across calls: only layout and PDF writing, nothing of ours;
- before (issue 13): the same HTML with the system .ttc collections registered per render,
  as the product did (``local("Noto Serif CJK SC")``, which loads the Japanese face).
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
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from accounts.models import User  # noqa: E402
from common.idnumber import make_id_number  # noqa: E402
from common.pdf import FONT_DIR, font_css  # noqa: E402
from common.roles import Role  # noqa: E402
from hukou.models import Address, Certificate, Community, Household, Person, Station  # noqa: E402
from hukou.selectors.certificates import certificate_html, certificate_pdf  # noqa: E402
from hukou.services.certificates import certificate_issue  # noqa: E402

OLD_FONTS = {  # what common/pdf.py registered before issue 13, on every render
    ("HukouSerif SC", "normal"): ("Noto Serif CJK SC", "NotoSerifCJK-Regular.ttc"),
    ("HukouSerif SC", "bold"): ("Noto Serif CJK SC Bold", "NotoSerifCJK-Bold.ttc"),
    ("HukouSans SC", "normal"): ("Noto Sans CJK SC", "NotoSansCJK-Regular.ttc"),
}


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
    return _interleaved([fn], rounds)[0]


def _interleaved(functions, rounds: int) -> list[list[float]]:
    """Samples of each function, taken in turn within every round, so that a burst of load on
    the shared machine hits the product and its baseline alike. One warm-up call each (font
    loading, template compilation)."""
    samples = [[] for _ in functions]
    for fn in functions:
        fn()
    for _ in range(rounds):
        for fn, taken in zip(functions, samples, strict=True):
            start = time.perf_counter()
            fn()
            taken.append((time.perf_counter() - start) * 1000)
    return samples


def _bare(html: str):
    """Bare WeasyPrint, same HTML, same faces, one font configuration for all calls."""
    font_config = FontConfiguration()
    fonts = CSS(string=font_css(), font_config=font_config)
    return lambda: HTML(string=html, base_url=str(FONT_DIR)).write_pdf(stylesheets=[fonts], font_config=font_config)


def _before(html: str):
    """The pre-issue-13 render: the system collections registered on every call."""
    css = "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'src: local("{local}"), url("{(FONT_DIR / filename).as_uri()}"); }}'
        for (family, weight), (local, filename) in OLD_FONTS.items()
    )

    def render():
        font_config = FontConfiguration()
        fonts = CSS(string=css, font_config=font_config)
        return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(stylesheets=[fonts], font_config=font_config)

    return render


def main(rounds: int) -> None:
    rows, sizes = [], {}
    try:
        with transaction.atomic():
            clerk, child = _fixture()
            for kind in Certificate.Kind.values[1:]:
                certificate = certificate_issue(person=child, kind=kind, actor=clerk)
                html = certificate_html(certificate)
                product, baseline = _interleaved([lambda c=certificate: certificate_pdf(c), _bare(html)], rounds)
                before = _time(_before(html), max(3, rounds // 3))
                sizes[kind] = (len(certificate_pdf(certificate)), len(_before(html)()))
                rows.append((f"{kind}: bare WeasyPrint, same HTML and fonts", baseline, None))
                rows.append((f"{kind}: certificate_pdf", product, statistics.median(baseline)))
                rows.append((f"{kind}: before (system .ttc per render)", before, statistics.median(baseline)))
            rows.append(("certificate_issue (idempotent hit)", _time(
                lambda: certificate_issue(person=child, kind="hukou", actor=clerk), rounds), None))  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    print(f"| scenario (n={rounds}) | median ms | p95 ms | max ms | ÷ bare |")
    print("|---|---:|---:|---:|---:|")
    for name, samples, base in rows:
        p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
        ratio = f"{statistics.median(samples) / base:.2f}×" if base else ""
        print(f"| {name} | {statistics.median(samples):.1f} | {p95:.1f} | {max(samples):.1f} | {ratio} |")
    print()
    print("| kind | PDF KB now | PDF KB before |")
    print("|---|---:|---:|")
    for kind, (now, old) in sizes.items():
        print(f"| {kind} | {now / 1024:.0f} | {old / 1024:.0f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
