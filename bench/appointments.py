"""Booking and queue benchmarks: release burst over HTTP, push fan-out, call-next.

usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/anything REDIS_URL=redis://127.0.0.1:6379/3 \\
           python bench/appointments.py burst  [--attempts 10000 --applicants 5000 --places 500 --concurrency 50]
           python bench/appointments.py fanout [--subscribers 300 --calls 20]
           python bench/appointments.py callnext [--waiting 500]

Uses its own database (``--database``, default hukou_bench_appt, dropped, created and migrated),
never the one in DATABASE_URL. ``burst`` and ``fanout`` start the production server form
(``uvicorn config.asgi:application --workers N``) on that database and Redis, and drive it
over HTTP / websockets from this process. Prints Markdown tables (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registry import percentiles, recreate_database, setup_django  # noqa: E402

PASSWORD_HASH_SEED = "bench-password-2026"  # noqa: S105  (bench users only)


# --- Data ---------------------------------------------------------------------------------


def make_station(windows: int = 4):
    from appointments.models import Window
    from hukou.models import Community, Station

    station = Station.objects.create(code="BENCH", name="压测派出所", district="东湖区")
    community = Community.objects.create(station=station, district="东湖区", subdistrict="压测街道", name="压测社区")
    for number in range(1, windows + 1):
        Window.objects.create(station=station, number=number, name=f"{number}号窗口")
    return station, community


def make_parents(station, community, n: int) -> list[str]:
    """n parents whose bound identity matches an active registered person; returns API tokens."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from common.idnumber import make_id_number
    from common.roles import Role
    from hukou.codes import Relationship
    from hukou.models import Address, Household, Person

    addresses = Address.objects.bulk_create(
        [Address(community=community, road="压测路", number=i + 1) for i in range(n)], batch_size=2000
    )
    households = Household.objects.bulk_create(
        [Household(number=f"9{i:014d}", address=a, station=station) for i, a in enumerate(addresses)], batch_size=2000
    )
    numbers = [
        make_id_number(
            region="360102", birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=i // 500), sequence=i % 500, male=True
        )
        for i in range(n)
    ]
    Person.objects.bulk_create(
        [
            Person(
                name=f"家长{i}",
                name_pinyin=f"jiazhang{i}",
                sex="M",
                birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=i // 500),
                id_number=numbers[i],
                household=h,
                relationship=Relationship.HEAD,
                registered_at_address_on=dt.date(2010, 1, 1),
            )
            for i, h in enumerate(households)
        ],
        batch_size=2000,
    )
    password = make_password(PASSWORD_HASH_SEED)
    verified = timezone.now()  # the identity was proven (parent_identity_confirmed asks for it)
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench{i}",
                real_name=f"家长{i}",
                role=Role.PARENT,
                id_number=numbers[i],
                password=password,
                identity_verified_at=verified,
                identity_method="registry_mobile",
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    tokens = Token.objects.bulk_create([Token(user=u, key=f"{u.pk:040x}") for u in users], batch_size=2000)
    return [t.key for t in tokens]


def make_slots(station, places: int, slots: int) -> list[int]:
    from django.utils import timezone

    from appointments.models import Slot
    from hukou.models import BusinessType

    birth = BusinessType.objects.get(code="birth")
    day = timezone.localdate() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    ids = []
    for i in range(slots):
        at = start + dt.timedelta(minutes=15 * i)
        slot = Slot.objects.create(
            station=station, starts_at=at, ends_at=at + dt.timedelta(minutes=15), capacity=places // slots
        )
        slot.business_types.set([birth])
        ids.append(slot.pk)
    return ids


# --- Server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    import requests

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "BOOKING_RATE": "100000/min",
        "DB_CONN_MAX_AGE": "600",
    }
    cmd = [
        sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--no-access-log", "--log-level", "warning", "--ws", "websockets-sansio",
    ]  # fmt: skip
    process = subprocess.Popen(cmd, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # two workers importing Django take 20 s+ on a loaded box
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz/", timeout=1).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("server did not start")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


# --- HTTP load ----------------------------------------------------------------------------


def run_load(base: str, jobs: list[tuple[str, str, dict]], concurrency: int):
    """jobs: (path, token, json body). Returns (wall seconds, latencies ms, status counts, bodies)."""
    import requests

    local = threading.local()
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()

    def one(job):
        path, token, body = job
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        started = time.perf_counter()
        response = session.post(base + path, json=body, headers={"Authorization": f"Token {token}"}, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            statuses[response.status_code] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, jobs))
    return time.perf_counter() - started, latencies, statuses


def verify(slot_ids: list[int]) -> dict:
    from django.db import connection
    from django.db.models import Count

    from appointments.models import Booking, Slot

    connection.close()
    active = Booking.objects.filter(slot_id__in=slot_ids, status__in=Booking.ACTIVE)
    over = [s.pk for s in Slot.objects.filter(pk__in=slot_ids) if s.booked > s.capacity]
    mismatched = [s.pk for s in Slot.objects.filter(pk__in=slot_ids) if s.booked != active.filter(slot_id=s.pk).count()]
    dupes = active.values("applicant_id_number", "business_type").annotate(n=Count("id")).filter(n__gt=1).count()
    capacity = sum(Slot.objects.filter(pk__in=slot_ids).values_list("capacity", flat=True))
    return {
        "booked": active.count(),
        "capacity": capacity,
        "oversold_slots": len(over),
        "count_mismatch": len(mismatched),
        "duplicates": dupes,
    }


def burst(args) -> None:
    url = recreate_database(os.environ["DATABASE_URL"], args.database)
    setup_django(url)
    station, community = make_station()
    tokens = make_parents(station, community, args.applicants)
    slot_ids = make_slots(station, args.places, args.slots)
    from hukou.models import BusinessType

    birth = BusinessType.objects.get(code="birth").pk
    rng = random.Random(2026)
    # Every applicant tries (attempts / applicants) times, each on a random slot of the day.
    jobs = [
        (
            "/api/v1/appointments/bookings/new/",
            tokens[i % len(tokens)],
            {"slot": rng.choice(slot_ids), "business_type": birth},
        )
        for i in range(args.attempts)
    ]
    rng.shuffle(jobs)
    noop_jobs = [("/api/v1/appointments/ping/", tokens[i % len(tokens)], {}) for i in range(args.attempts)]
    process, base = start_server(url, args.workers)
    try:
        run_load(base, noop_jobs[:200], args.concurrency)  # warm up both paths' connections
        noop = run_load(base, noop_jobs, args.concurrency)
        book = run_load(base, jobs, args.concurrency)
    finally:
        stop_server(process)
    result = verify(slot_ids)
    print(
        f"\n### Release burst ({args.attempts} attempts, {args.applicants} applicants, {args.places} places "
        f"in {args.slots} slots, concurrency {args.concurrency}, {args.workers} uvicorn workers)\n"
    )
    print("| Endpoint | requests/s | p50 ms | p95 ms | p99 ms | statuses |")
    print("|---|---|---|---|---|---|")
    for name, (wall, lat, statuses) in (("no-op (ping)", noop), ("booking", book)):
        p50, p95, p99 = percentiles(lat)
        print(
            f"| {name} | {len(lat) / wall:.0f} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {dict(sorted(statuses.items()))} |"
        )
    ratio = (len(book[1]) / book[0]) / (len(noop[1]) / noop[0])
    print(f"\nbooking throughput / no-op throughput = {ratio:.0%}")
    print(f"\ninvariants: {json.dumps(result)}")
    if (
        result["booked"] != result["capacity"]
        or result["oversold_slots"]
        or result["duplicates"]
        or result["count_mismatch"]
    ):
        raise SystemExit("INVARIANT BROKEN")


# --- Push fan-out -------------------------------------------------------------------------


async def _subscribers(ws_url: str, n: int, calls: int, ready: threading.Event, sent: dict, received: list):
    import websockets

    async def one():
        async with websockets.connect(ws_url, origin=ws_url.replace("ws://", "http://").split("/ws/")[0]) as ws:
            counter[0] += 1
            if counter[0] == n:
                ready.set()
            got = 0
            while got < calls:
                event = json.loads(await ws.recv())
                if event.get("kind") == "call":
                    received.append((event["seq"], event["number"], time.perf_counter()))
                    got += 1

    counter = [0]
    await asyncio.wait_for(asyncio.gather(*(one() for _ in range(n))), timeout=120)


def fanout(args) -> None:
    import requests

    url = recreate_database(os.environ["DATABASE_URL"], args.database)
    setup_django(url)
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from appointments.services.queue import ticket_walk_in
    from common.roles import Role
    from hukou.models import BusinessType

    station, _community = make_station(windows=2)
    clerk = User.objects.create(username="bench_clerk", role=Role.CLERK, station=station)
    token = Token.objects.create(user=clerk).key
    birth = BusinessType.objects.get(code="birth").pk
    tickets = [ticket_walk_in(station_id=station.pk, business_type_id=birth) for _ in range(args.calls)]
    window = station.windows.order_by("number").first()
    process, base = start_server(url, args.workers)
    sent: dict = {}
    received: list = []
    ready = threading.Event()
    ws_url = base.replace("http://", "ws://") + f"/ws/display/{station.code}/"
    listener = threading.Thread(
        target=lambda: asyncio.run(_subscribers(ws_url, args.subscribers, args.calls, ready, sent, received)),
        daemon=True,
    )
    try:
        listener.start()
        if not ready.wait(60):
            raise SystemExit("subscribers did not connect")
        time.sleep(1)
        session = requests.Session()
        for ticket in tickets:
            started = time.perf_counter()
            response = session.post(
                f"{base}/api/v1/appointments/tickets/{ticket.pk}/call/",
                json={"window": window.pk},
                headers={"Authorization": f"Token {token}"},
                timeout=30,
            )
            assert response.status_code == 200, response.text
            sent[ticket.number] = started
            time.sleep(args.gap)
        listener.join(60)
    finally:
        stop_server(process)
    latencies = [(at - sent[number]) * 1000 for _seq, number, at in received if number in sent]
    p50, p95, p99 = percentiles(latencies)
    print(
        f"\n### Push fan-out ({args.subscribers} display subscribers of one station, {args.calls} calls "
        f"through the API, {args.workers} uvicorn workers, Redis channel layer)\n"
    )
    print("| deliveries | expected | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    expected = args.subscribers * args.calls
    print(f"| {len(latencies)} | {expected} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {max(latencies):.1f} |")
    print("\n(latency: from sending the API call to each subscriber receiving it, so it includes the HTTP call itself)")


# --- Call next ----------------------------------------------------------------------------


def callnext(args) -> None:
    url = recreate_database(os.environ["DATABASE_URL"], args.database)
    setup_django(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from appointments.models import Ticket
    from appointments.services import queue as q
    from common.roles import Role
    from hukou.models import BusinessType

    station, _community = make_station(windows=1)
    clerk = User.objects.create(username="bench_clerk", role=Role.CLERK, station=station)
    birth = BusinessType.objects.get(code="birth").pk
    rng = random.Random(7)
    for _ in range(args.waiting):
        q.ticket_walk_in(station_id=station.pk, business_type_id=birth, priority=rng.random() < 0.1)
    window = station.windows.get()
    latencies, queries = [], []
    for _ in range(args.calls):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            ticket = q.ticket_call_next(actor=clerk, window_id=window.pk)
            latencies.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
        Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.DONE)  # free the window, outside the timing
    from django.db import transaction

    baseline = []
    for _ in range(args.calls):  # the box's floor: one transaction with one primary-key read
        started = time.perf_counter()
        with transaction.atomic():
            Ticket.objects.select_for_update().get(pk=ticket.pk)
        baseline.append((time.perf_counter() - started) * 1000)
    print(f"\n### Call next ({args.waiting} waiting, {args.calls} calls, in-process, PostgreSQL)\n")
    print("| operation | p50 ms | p95 ms | p99 ms | queries per call (min–max) |")
    print("|---|---|---|---|---|")
    p50, p95, p99 = percentiles(latencies)
    print(f"| ticket_call_next | {p50:.2f} | {p95:.2f} | {p99:.2f} | {min(queries)}–{max(queries)} |")
    p50, p95, p99 = percentiles(baseline)
    print(f"| baseline: BEGIN, SELECT … FOR UPDATE by pk, COMMIT | {p50:.2f} | {p95:.2f} | {p99:.2f} | 3 |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=["burst", "fanout", "callnext"])
    parser.add_argument("--database", default="hukou_bench_appt")
    parser.add_argument("--attempts", type=int, default=10000)
    parser.add_argument("--applicants", type=int, default=5000)
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--subscribers", type=int, default=300)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.25, help="seconds between fan-out calls")
    parser.add_argument("--waiting", type=int, default=500)
    args = parser.parse_args()
    {"burst": burst, "fanout": fanout, "callnext": callnext}[args.scenario](args)


if __name__ == "__main__":
    main()
