"""Faults survived with nothing lost and order kept: real PostgreSQL, Redis, Celery worker (with
beat, so the sweeper runs) and the reference receiver, each its own process."""

import datetime as dt
import subprocess
import sys
import time

import pytest
from django.conf import settings

from hukou.models import Person
from schoolsync.models import DeliveryAttempt, OutboundEvent
from schoolsync.services.delivery import outbound_replay
from tests.schoolsync.conftest import change, database_url, free_port, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
Status = OutboundEvent.Status


def _all_delivered(count: int, timeout: float = 25.0) -> None:
    def done():
        return OutboundEvent.objects.filter(status=Status.DELIVERED).count() == count

    wait_until(
        done,
        timeout=timeout,
        message=f"statuses: {list(OutboundEvent.objects.values('status', 'attempts', 'last_error'))}",
    )


def _assert_each_once_in_order(receiver) -> None:
    stored = receiver.events()
    ids = [event["event_id"] for event in stored]
    expected = {str(event_id) for event_id in OutboundEvent.objects.values_list("event_id", flat=True)}
    assert sorted(ids) == sorted(expected)  # every event, each stored once
    by_child: dict[str, list[int]] = {}
    for event in stored:
        by_child.setdefault(event["child"], []).append(event["sequence"])
    assert all(sequences == list(range(1, len(sequences) + 1)) for sequences in by_child.values()), by_child
    assert receiver.stats()["violations"] == 0


def _changes(east_child, east_pupil, count=3):
    for index in range(count):
        change(east_child, name=f"张小明{index}")
        change(east_pupil, name=f"张小红{index}")


def test_changes_arrive_in_order_on_commit(worker_factory, receiver, east_child, east_pupil):
    worker_factory()
    _changes(east_child, east_pupil)
    _all_delivered(6)
    _assert_each_once_in_order(receiver)


def test_the_receiver_down_for_a_while_loses_nothing(worker_factory, receiver, east_child, east_pupil):
    worker_factory()
    receiver.stop()
    _changes(east_child, east_pupil)
    wait_until(lambda: OutboundEvent.objects.filter(attempts__gte=2).exists(), message="no retries while down")
    assert not OutboundEvent.objects.filter(status=Status.DELIVERED).exists()
    assert "ConnectionError" in OutboundEvent.objects.filter(attempts__gte=1).first().last_error
    receiver.start()
    _all_delivered(6)
    _assert_each_once_in_order(receiver)


def test_answers_of_500_are_retried_until_accepted(worker_factory, receiver, east_child, east_pupil):
    receiver.control("500")
    worker_factory()
    _changes(east_child, east_pupil)
    wait_until(lambda: OutboundEvent.objects.filter(attempts__gte=3).exists(), message="no retries on 500")
    assert OutboundEvent.objects.filter(last_status_code=500, status=Status.PENDING).exists()
    receiver.control("ok")
    _all_delivered(6)
    _assert_each_once_in_order(receiver)


def test_a_timed_out_event_is_resent_under_the_same_id_and_stored_once(worker_factory, receiver, east_child):
    receiver.control("timeout", delay=2.5)  # stores, then answers after the 1 s read timeout
    worker_factory()
    event = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    wait_until(lambda: receiver.receipts(event.event_id) >= 2, message="no resend after a timeout")
    receiver.control("ok")
    _all_delivered(1)
    assert len(receiver.events()) == 1
    event.refresh_from_db()
    assert event.attempts >= 2


def test_a_400_parks_one_event_its_child_waits_and_replay_delivers_in_order(
    worker_factory, receiver, east_child, east_pupil
):
    receiver.control("400-for", event_id="to-be-set")
    first = OutboundEvent.objects.get(change_event=change(east_child, name="一"))
    receiver.control("400-for", event_id=str(first.event_id))
    worker_factory()
    change(east_child, name="二")
    change(east_pupil, name="三")
    wait_until(lambda: OutboundEvent.objects.filter(status=Status.PARKED).exists(), message="not parked")
    wait_until(lambda: OutboundEvent.objects.filter(person=east_pupil, status=Status.DELIVERED).exists())
    time.sleep(1.5)  # several sweeps: the child's second event must still wait
    second = OutboundEvent.objects.get(person=east_child, sequence=2)
    assert second.status == Status.PENDING and second.attempts == 0
    first.refresh_from_db()
    assert first.status == Status.PARKED and "HTTP 400" in first.last_error

    receiver.control("ok")
    assert outbound_replay(ids=[first.pk]) == 1
    _all_delivered(3)
    _assert_each_once_in_order(receiver)


def test_a_worker_killed_mid_delivery_is_redelivered_by_the_sweeper(worker_factory, receiver, east_child):
    receiver.control("timeout", delay=30)
    # The worker hangs inside the POST (the lease must outlast a read timeout to post at all).
    worker = worker_factory(EDU_SYNC_READ_TIMEOUT_MS="4000", EDU_SYNC_LEASE_MS="6000")
    event = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    wait_until(lambda: receiver.receipts(event.event_id) >= 1, message="the worker never posted")
    worker.kill()
    event.refresh_from_db()
    assert event.status == Status.PENDING and event.claimed_until is not None  # stuck in flight
    receiver.control("ok")
    worker_factory()
    _all_delivered(1)
    assert receiver.receipts(event.event_id) >= 2
    assert len(receiver.events()) == 1


def test_redis_unreachable_at_commit_loses_nothing(worker_factory, receiver, east_child):
    dead_broker = f"redis://127.0.0.1:{free_port()}/0"
    code = (
        "from hukou.models import Person; from tests.schoolsync.conftest import change; "
        f"change(Person.objects.get(pk={east_child.pk}), name='张小刚'); print('committed')"
    )
    env = {**__import__("os").environ, "DATABASE_URL": database_url(), "REDIS_URL": dead_broker}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "committed" in result.stdout, result.stderr
    assert "Could not queue a delivery" in result.stderr  # the kick really failed
    assert time.monotonic() - started < 20
    event = OutboundEvent.objects.get(person=Person.objects.get(pk=east_child.pk))
    assert event.status == Status.PENDING and event.attempts == 0
    worker_factory()  # no kick ever reached a worker: only the sweeper can deliver it
    _all_delivered(1)
    _assert_each_once_in_order(receiver)


def _school_children(count):
    from hukou.codes import Relationship
    from tests.factories import HouseholdFactory, PersonFactory

    household = HouseholdFactory(number="360102099000001")
    return [
        PersonFactory(
            household=household,
            name=f"学生{index}",
            relationship=Relationship.SON,
            birth_date=dt.date(2012, 1, 1) + dt.timedelta(days=11 * index),
        )
        for index in range(count)
    ]


def test_a_childs_backlog_drains_at_the_receivers_pace_not_the_sweepers(worker_factory, receiver, east_child):
    # The sweeper runs every 30 s here: only the follow-on after each acknowledgement can be this fast.
    for index in range(60):
        change(east_child, name=f"名{index}")
    started = time.monotonic()
    worker_factory(EDU_SYNC_SWEEP_INTERVAL_MS="30000")
    _all_delivered(60, timeout=30)
    assert time.monotonic() - started < 25  # on a quiet machine about 1 s after the worker is up
    _assert_each_once_in_order(receiver)


def test_a_flaky_receiver_loses_nothing_and_keeps_order(worker_factory, receiver):
    # 30 % answered 500, 10 % answered after the 1 s read timeout, 5 % hung up on.
    receiver.faults(fail_rate=0.3, slow_rate=0.1, slow_delay=1.5, drop_rate=0.05)
    children = _school_children(40)
    for round_ in range(3):
        for child in children:
            change(child, name=f"{child.name[:4]}{round_}")
    started = time.monotonic()
    worker_factory()
    _all_delivered(120, timeout=50)
    assert time.monotonic() - started < 45
    _assert_each_once_in_order(receiver)
    assert DeliveryAttempt.objects.filter(status_code=500).exists()
    assert DeliveryAttempt.objects.filter(error__contains="ReadTimeout").exists()
    assert DeliveryAttempt.objects.count() >= 120 + OutboundEvent.objects.filter(attempts__gt=1).count()
