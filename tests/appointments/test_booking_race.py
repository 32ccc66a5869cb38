"""Never oversold: real threads on PostgreSQL against the counted, locked slot row."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from appointments.models import Booking, Slot
from appointments.services.booking import booking_create_proxy
from tests.appointments.fixtures import id_number, open_every_day, tomorrow
from tests.hukou.catalogue import load_business_catalogue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_threads(n, work):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except ValidationError as exc:
            results[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def scene(east, clerk_east):
    from appointments.services.schedule import slots_generate
    from hukou.models import BusinessType

    load_business_catalogue()
    open_every_day(east, places=1)  # 3 windows × 1 place = 3 places per slot
    slots_generate(station_id=east.pk, day=tomorrow())
    slot = Slot.objects.filter(station=east).order_by("starts_at").first()
    return slot, BusinessType.objects.get(code="birth"), clerk_east


def test_it_never_books_more_places_than_the_slot_has(scene):
    slot, birth, clerk = scene

    results = _run_in_threads(
        12,
        lambda i: (
            booking_create_proxy(
                clerk=clerk,
                slot_id=slot.pk,
                business_type_id=birth.pk,
                applicant_name=f"申请人{i}",
                applicant_id_number=id_number(i),
            ).code
        ),
    )

    slot.refresh_from_db()
    assert slot.capacity == 3
    assert slot.booked == 3
    assert Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED).count() == 3
    assert sorted(r for r in results if len(r) != 8) == ["slot_full"] * 9


def test_it_books_one_id_number_once_per_business_even_when_racing(scene):
    slot, birth, clerk = scene
    same = id_number(42)

    results = _run_in_threads(
        6,
        lambda i: (
            booking_create_proxy(
                clerk=clerk,
                slot_id=slot.pk,
                business_type_id=birth.pk,
                applicant_name="同一人",
                applicant_id_number=same,
            ).code
        ),
    )

    assert Booking.objects.filter(applicant_id_number=same).count() == 1
    assert sorted(r for r in results if r == "duplicate") == ["duplicate"] * 5
    slot.refresh_from_db()
    assert slot.booked == 1  # the losers' increments were rolled back with them


def test_windows_calling_next_at_once_get_different_tickets_and_a_double_press_is_refused(scene):
    from appointments.models import Ticket, TicketCall
    from appointments.services import queue as q

    _slot, birth, clerk = scene
    for _ in range(10):
        q.ticket_walk_in(station_id=clerk.station_id, business_type_id=birth.pk)
    windows = list(clerk.station.windows.order_by("number"))

    results = _run_in_threads(  # each of the 3 windows pressed twice at the same moment
        6, lambda i: q.ticket_call_next(actor=clerk, window_id=windows[i % 3].pk).number
    )

    numbers = [r for r in results if r != "window_busy"]
    assert sorted(results).count("window_busy") == 3 and len(set(numbers)) == 3
    called = Ticket.objects.filter(status=Ticket.Status.CALLED)
    assert sorted(called.values_list("window__number", flat=True)) == [1, 2, 3]
    assert TicketCall.objects.count() == 3 and set(called.values_list("number", flat=True)) == set(numbers)
