"""The outbox, signing and the delivery service against the real reference receiver."""

import datetime as dt
import json
import threading
import time

import pytest
import requests
from django.db import transaction
from django.utils import timezone

from hukou.codes import Relationship
from hukou.models import ChangeEvent, Guardianship
from hukou.services.events import change_event_record
from schoolsync.models import OutboundEvent
from schoolsync.receiver.signing import SignatureError, signature_header, signature_verify
from schoolsync.services.delivery import (
    outbound_body,
    outbound_deliver,
    outbound_replay,
)
from schoolsync.services.dispatch import outbound_dispatch
from tests.schoolsync.conftest import SECRET, change

pytestmark = [pytest.mark.postgres]
Status = OutboundEvent.Status


def test_a_registry_change_writes_its_outbound_row_with_the_eight_items(east_child, east_head):
    Guardianship.objects.create(
        child=east_child, guardian=east_head, relationship=Relationship.FATHER, valid_from=dt.date(2020, 5, 1)
    )
    event = change(east_child, name="张小刚")
    outbound = OutboundEvent.objects.get(change_event=event)
    child = outbound.payload["child"]
    assert outbound.sequence == 1
    assert outbound.payload["type"] == "name_changed"
    assert outbound.payload["id"] == str(outbound.event_id)
    assert outbound.payload["changes"] == {"name": {"before": "张小明", "after": "张小刚"}}
    assert child["name"] == "张小刚"
    assert child["birth_date"] == "2020-05-01"
    assert child["id_number"] == east_child.id_number
    assert child["household_number"] == "360102010000001"
    assert child["hukou_address"].startswith(str(east_child.household.address.community))
    assert child["guardians"] == [{"name": "张建华", "relationship": "51", "relationship_label": "父亲"}]


def test_a_rolled_back_change_leaves_no_outbound_row(east_child):
    with pytest.raises(RuntimeError), transaction.atomic():
        east_child.name = "回滚"
        east_child.save()
        change_event_record(kind=ChangeEvent.Kind.NAME_CHANGED, person=east_child, changes={})
        raise RuntimeError("the registry change fails after its event was written")
    assert not ChangeEvent.objects.exists()
    assert not OutboundEvent.objects.exists()


def test_sequence_numbers_count_per_child(east_child, east_pupil):
    change(east_child, name="一")
    change(east_pupil, name="二")
    change(east_child, name="三")
    assert list(OutboundEvent.objects.filter(person=east_child).values_list("sequence", flat=True)) == [1, 2]
    assert list(OutboundEvent.objects.filter(person=east_pupil).values_list("sequence", flat=True)) == [1]


def test_the_signature_refuses_a_changed_body_a_wrong_secret_and_an_old_timestamp():
    body = b'{"id":"x"}'
    header = signature_header(secret=SECRET, body=body, timestamp=1_700_000_000)
    assert signature_verify(secret=SECRET, header=header, body=body, now=1_700_000_100) == 1_700_000_000
    with pytest.raises(SignatureError, match="does not match"):
        signature_verify(secret=SECRET, header=header, body=b'{"id":"y"}', now=1_700_000_100)
    with pytest.raises(SignatureError, match="does not match"):
        signature_verify(secret="other", header=header, body=body, now=1_700_000_100)
    with pytest.raises(SignatureError, match="tolerance"):
        signature_verify(secret=SECRET, header=header, body=body, now=1_700_000_301)
    with pytest.raises(SignatureError, match="missing"):
        signature_verify(secret=SECRET, header=None, body=body)


def test_the_receiver_refuses_an_unsigned_post_and_stores_nothing(receiver):
    answer = requests.post(receiver.url, data=b'{"id": "forged"}', timeout=5)
    assert answer.status_code == 401
    assert answer.json()["status"] == "bad_signature"
    assert receiver.events() == []


def test_an_event_is_delivered_signed_and_stored_once(sync_settings, receiver, east_child):
    outbound = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    assert outbound_deliver(outbound_id=outbound.pk) == Status.DELIVERED
    outbound.refresh_from_db()
    assert outbound.status == Status.DELIVERED and outbound.attempts == 1 and outbound.delivered_at
    [stored] = receiver.events()
    assert stored["event_id"] == str(outbound.event_id) and stored["sequence"] == 1
    # A delivered event cannot be claimed again: nothing more is sent.
    assert outbound_deliver(outbound_id=outbound.pk) is None
    assert receiver.stats()["receipts"] == 1


def test_a_resent_body_is_a_duplicate_for_the_receiver(sync_settings, receiver, east_child):
    outbound = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    body = outbound_body(outbound)
    for _ in range(2):
        headers = {"Hukou-Signature": signature_header(secret=SECRET, body=body), "Hukou-Event-Id": "x"}
        answer = requests.post(receiver.url, data=body, headers=headers, timeout=5)
        assert answer.status_code == 200
    assert answer.json()["status"] == "duplicate"
    assert len(receiver.events()) == 1


def test_a_500_keeps_the_event_pending_with_a_later_attempt(sync_settings, receiver, east_child):
    receiver.control("500")
    outbound = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    before = timezone.now()
    assert outbound_deliver(outbound_id=outbound.pk) == Status.PENDING
    outbound.refresh_from_db()
    assert outbound.attempts == 1 and outbound.last_status_code == 500
    assert "HTTP 500" in outbound.last_error
    assert outbound.next_attempt_at > before and outbound.claimed_until is None
    assert outbound_deliver(outbound_id=outbound.pk) is None  # not due yet
    assert receiver.events() == []


def test_backoff_grows_and_gives_up_after_the_horizon(sync_settings, receiver, east_child):
    from schoolsync.services.delivery import backoff_seconds

    sync_settings.EDU_SYNC_BACKOFF_BASE, sync_settings.EDU_SYNC_BACKOFF_MAX = 5, 3600
    assert 2.5 <= backoff_seconds(1) <= 5 and 40 <= backoff_seconds(5) <= 80 and backoff_seconds(30) <= 3600
    sync_settings.EDU_SYNC_RETRY_HORIZON = 0
    receiver.control("500")
    outbound = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    assert outbound_deliver(outbound_id=outbound.pk) == Status.EXHAUSTED


def test_a_400_parks_the_event_and_holds_back_only_that_child(sync_settings, receiver, east_child, east_pupil):
    first = OutboundEvent.objects.get(change_event=change(east_child, name="一"))
    second = OutboundEvent.objects.get(change_event=change(east_child, name="二"))
    other = OutboundEvent.objects.get(change_event=change(east_pupil, name="三"))
    receiver.control("400-for", event_id=str(first.event_id))
    assert outbound_deliver(outbound_id=first.pk) == Status.PARKED
    assert outbound_deliver(outbound_id=second.pk) is None  # waits behind the parked one
    assert outbound_deliver(outbound_id=other.pk) == Status.DELIVERED  # another child is not blocked
    first.refresh_from_db()
    assert first.last_status_code == 400 and "refused" in first.last_error

    receiver.control("ok")
    assert outbound_replay(ids=[first.pk, other.pk]) == 1  # a delivered event is never replayed
    # Changed with issue #12: the child's next event leaves as soon as the first is acknowledged,
    # in the same run (it used to wait for another batch or the sweeper).
    result = outbound_dispatch(budget=5)
    assert (result.attempted, result.delivered) == (2, 2)
    mine = [e for e in receiver.events() if e["event_id"] != str(other.event_id)]
    assert [e["sequence"] for e in mine] == [1, 2]
    assert receiver.stats()["violations"] == 0


def test_without_a_receiver_configured_events_simply_stay_pending(settings, east_child):
    settings.EDU_SYNC_URL = ""
    outbound = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    assert outbound_deliver(outbound_id=outbound.pk) is None
    outbound.refresh_from_db()
    assert outbound.status == Status.PENDING and outbound.attempts == 0 and outbound.last_error == ""


def test_the_receiver_catches_a_sequence_gap(sync_settings, receiver, east_child):
    change(east_child, name="一")
    second = OutboundEvent.objects.get(change_event=change(east_child, name="二"))
    body = outbound_body(second)
    answer = requests.post(
        receiver.url, data=body, headers={"Hukou-Signature": signature_header(secret=SECRET, body=body)}, timeout=5
    )
    assert answer.status_code == 409 and answer.json() == {"status": "out_of_order", "expected": 1}
    assert receiver.events() == [] and receiver.stats()["violations"] == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_of_one_child_get_sequences_in_commit_order(east_child):
    errors = []

    def write(name):
        from django.db import connection

        try:
            change(type(east_child).objects.get(pk=east_child.pk), name=name)
            time.sleep(0.01)
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"名{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = list(OutboundEvent.objects.filter(person=east_child).order_by("id").values_list("sequence", "payload"))
    assert [sequence for sequence, _ in rows] == list(range(1, 9))
    assert all(json.dumps(payload) for _, payload in rows)


def test_the_sweeper_backfills_a_change_event_that_has_no_outbound_row(east_child):
    from schoolsync.services.delivery import outbound_backfill

    change(east_child, name="一")
    orphan = ChangeEvent.objects.create(kind="name_changed", person=east_child, household=east_child.household)
    assert outbound_backfill() == 1
    assert OutboundEvent.objects.get(change_event=orphan).sequence == 2
    assert outbound_backfill() == 0


@pytest.mark.django_db(transaction=True)
def test_on_the_embedded_default_a_commit_delivers_in_process(sync_settings, receiver, east_child):
    from django.core.cache import cache

    from config.celery import app
    from schoolsync.services.delivery import KICK_KEY

    cache.delete(KICK_KEY)
    app.conf.task_always_eager = True  # what settings do without REDIS_URL
    try:
        event = change(east_child, name="张小刚")
    finally:
        app.conf.task_always_eager = False
    assert OutboundEvent.objects.get(change_event=event).status == Status.DELIVERED
    assert [e["sequence"] for e in receiver.events()] == [1]


def test_the_verification_example_in_the_protocol_document_accepts_our_signature():
    from django.conf import settings

    text = (settings.BASE_DIR / "docs" / "sync-protocol.md").read_text(encoding="utf-8")
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(example, namespace)  # noqa: S102 (our own document)
    body = '{"id":"x","child":{"name":"张小明"}}'.encode()
    header = signature_header(secret=SECRET, body=body)
    assert namespace["verify"](SECRET, header, body) is True
    assert namespace["verify"](SECRET, header, body + b" ") is False
    assert namespace["verify"]("wrong", header, body) is False


def test_a_receiver_that_drops_the_connection_leaves_the_event_pending(sync_settings, receiver, east_child):
    receiver.control("down")
    outbound = OutboundEvent.objects.get(change_event=change(east_child, name="张小刚"))
    assert outbound_deliver(outbound_id=outbound.pk) == Status.PENDING
    outbound.refresh_from_db()
    assert outbound.last_status_code is None and "ConnectionError" in outbound.last_error
    receiver.control("ok")
    assert receiver.events() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_share_an_event_nor_take_two_of_one_child(east_household):
    from django.db import connection

    from schoolsync.services.delivery import outbound_claim_batch
    from tests.factories import PersonFactory

    for index in range(6):
        child = PersonFactory(
            household=east_household,
            name=f"儿童{index}",
            relationship=Relationship.SON,
            birth_date=dt.date(2016 + index, 1, 1),
        )
        for round_ in range(3):
            change(child, name=f"儿童{index}-{round_}")
    claimed: list[list[OutboundEvent]] = []
    barrier = threading.Barrier(3)

    def claim():
        try:
            barrier.wait()
            claimed.append(outbound_claim_batch(limit=4))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = [event for batch in claimed for event in batch]
    assert len(events) == len({event.pk for event in events}) == 6  # every child's head, once
    assert sorted(event.sequence for event in events) == [1] * 6
    assert len({event.person_id for event in events}) == 6


def test_the_sweep_command_delivers_what_is_due(sync_settings, receiver, east_child, capsys):
    from django.core.management import call_command

    change(east_child, name="一")
    change(east_child, name="二")
    call_command("sync_sweep")  # the second event leaves as soon as the first is acknowledged
    assert [e["sequence"] for e in receiver.events()] == [1, 2]
    assert "stamped 2, attempted 2, delivered 2" in capsys.readouterr().out.splitlines()[-1]
