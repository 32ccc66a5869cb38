"""Issue #12 in-process: only school-age children are sent, times in +08:00, every attempt kept,
audited decisions unblock a refused child, a child's backlog leaves in one run, one slow answer
costs only its own child, and the circuit breaker stops posting to a dead receiver."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from hukou.codes import Relationship
from hukou.models import ChangeEvent
from schoolsync.models import DeliveryAttempt, OutboundDecision, OutboundEvent
from schoolsync.services.decisions import DecisionRefused, outbound_rebuild, outbound_skip
from schoolsync.services.delivery import outbound_backfill, outbound_deliver, outbound_replay
from schoolsync.services.dispatch import outbound_dispatch
from schoolsync.services.reconciliation import sync_report_build
from tests.factories import PersonFactory
from tests.schoolsync.conftest import change

pytestmark = [pytest.mark.postgres]
Status = OutboundEvent.Status
URL = "/admin/schoolsync/outboundevent/"


def _outbound(person, name):
    return OutboundEvent.objects.get(change_event=change(person, name=name))


def _children(household, count):
    """School-age children, each with one pending change."""
    children = []
    for i in range(count):
        child = PersonFactory(
            household=household,
            name=f"儿童{i}",
            relationship=Relationship.SON,
            birth_date=dt.date(2012, 1, 1) + dt.timedelta(days=40 * i),
        )
        change(child, name=f"儿童{i}改")
        children.append(child)
    return children


def _parked(receiver, person, name):
    event = _outbound(person, name)
    receiver.faults(refuse_ids=[str(event.event_id)])
    assert outbound_deliver(outbound_id=event.pk) == Status.PARKED
    return event


def test_it_never_writes_an_event_for_an_adult(east_head, east_child):
    change(east_head, name="张建国")
    change(east_child, name="张小刚")
    assert list(OutboundEvent.objects.values_list("person_id", flat=True)) == [east_child.pk]
    assert outbound_backfill() == 0  # the adult's change event is not "missing"
    assert sync_report_build(day=timezone.localdate()).missing == 0


def test_the_ages_come_from_settings(settings, east_child):
    settings.EDU_SYNC_MAX_AGE = 5  # east_child was born in 2020: six in 2026
    change(east_child, name="张小刚")
    assert not OutboundEvent.objects.exists()
    settings.EDU_SYNC_MAX_AGE = 17
    change(east_child, name="张小强")
    assert OutboundEvent.objects.get().payload["child"]["name"] == "张小强"


def test_occurred_at_is_sent_in_beijing_time(east_child):
    event = _outbound(east_child, "张小刚")
    assert event.payload["occurred_at"].endswith("+08:00")
    assert timezone.datetime.fromisoformat(event.payload["occurred_at"]) == event.occurred_at


def test_every_attempt_is_kept_and_a_replay_adds_a_line(sync_settings, receiver, east_child):
    receiver.control("500")
    event = _outbound(east_child, "张小刚")
    assert outbound_deliver(outbound_id=event.pk) == Status.PENDING
    receiver.control("ok")
    OutboundEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    receiver.faults(refuse_ids=[str(event.event_id)])
    assert outbound_deliver(outbound_id=event.pk) == Status.PARKED
    receiver.faults(refuse_ids=[])
    assert outbound_replay(ids=[event.pk], reason="receiver fixed") == 1
    assert outbound_deliver(outbound_id=event.pk) == Status.DELIVERED
    rows = list(event.attempt_log.values_list("status_code", "outcome"))
    assert rows == [(500, "retry"), (400, "parked"), (200, "delivered")]
    assert all(a.duration_ms is not None and a.started_at for a in event.attempt_log.all())
    assert "HTTP 400" in event.attempt_log.get(status_code=400).error
    event.refresh_from_db()
    assert event.attempts == 3
    assert OutboundDecision.objects.get(event=event).reason == "receiver fixed"


def test_a_skip_needs_a_reason_and_lets_the_childs_next_event_follow(sync_settings, receiver, east_child, sysadmin):
    parked = _parked(receiver, east_child, "错误")
    later = _outbound(east_child, "张小刚")
    with pytest.raises(DecisionRefused):
        outbound_skip(ids=[parked.pk], actor=sysadmin, reason="  ")
    assert outbound_skip(ids=[parked.pk], actor=sysadmin, reason="教育局拒收，数据已由后续事件更正") == 1
    result = outbound_dispatch(budget=5)
    assert result.delivered == 2
    stored = receiver.events()
    assert [(e["event_id"], e["sequence"], e["type"]) for e in stored] == [
        (str(parked.event_id), 1, "skipped"),
        (str(later.event_id), 2, "name_changed"),
    ]
    parked.refresh_from_db()
    assert parked.payload["child"] == {"person_key": str(east_child.pk)}  # no personal data sent
    decision = parked.decisions.get()
    assert (decision.kind, decision.actor, decision.previous_status) == ("skip", sysadmin, "parked")
    assert decision.previous_payload["child"]["name"] == "错误"
    assert receiver.stats()["violations"] == 0


def test_a_rebuild_sends_the_corrected_registry_data(sync_settings, receiver, east_child, sysadmin):
    parked = _parked(receiver, east_child, "错误名")
    east_child.name = "张小明"  # the data fix (here without a change event, as a correction)
    east_child.save()
    receiver.faults(refuse_ids=[])
    assert outbound_rebuild(ids=[parked.pk], actor=sysadmin, reason="姓名已更正") == 1
    assert outbound_deliver(outbound_id=parked.pk) == Status.DELIVERED
    parked.refresh_from_db()
    assert parked.payload["child"]["name"] == "张小明" and parked.payload["sequence"] == 1
    assert parked.decisions.get().previous_payload["child"]["name"] == "错误名"
    assert parked.attempt_log.count() == 2


def test_an_adult_event_cannot_be_rebuilt(sync_settings, receiver, east_child, sysadmin, settings):
    parked = _parked(receiver, east_child, "错误名")
    settings.EDU_SYNC_MAX_AGE = 3
    with pytest.raises(DecisionRefused):
        outbound_rebuild(ids=[parked.pk], actor=sysadmin, reason="x")
    assert not OutboundDecision.objects.exists()


def test_the_admin_shows_every_attempt_and_asks_a_reason_before_skipping(
    sync_settings, receiver, login, sysadmin, east_child
):
    parked = _parked(receiver, east_child, "张小刚")
    client = login(sysadmin)
    detail = client.get(f"{URL}{parked.pk}/change/").content.decode()
    assert "HTTP 400" in detail and "refused" in detail
    asked = client.post(URL, {"action": "skip", "_selected_action": [parked.pk]})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    empty = client.post(URL, {"action": "skip", "_selected_action": [parked.pk], "apply": "1", "reason": ""})
    assert "请填写理由" in empty.content.decode()
    assert not OutboundDecision.objects.exists()
    done = client.post(
        URL, {"action": "skip", "_selected_action": [parked.pk], "apply": "1", "reason": "重复登记"}, follow=True
    )
    assert "已记录决定" in done.content.decode()
    decision = OutboundDecision.objects.get()
    assert (decision.actor, decision.reason, decision.kind) == (sysadmin, "重复登记", "skip")
    assert east_child.id_number not in client.get(f"{URL}{parked.pk}/change/").content.decode()


def test_a_childs_backlog_leaves_in_one_run_in_order(sync_settings, receiver, east_child):
    for index in range(30):
        change(east_child, name=f"名{index}")
    started = time.monotonic()
    result = outbound_dispatch(budget=20)
    assert result.delivered == 30 and time.monotonic() - started < 10
    assert [e["sequence"] for e in receiver.events()] == list(range(1, 31))


def test_one_slow_answer_costs_only_its_own_child(sync_settings, receiver, east_household):
    _children(east_household, 10)
    receiver.faults(slow_rate=1.0, slow_delay=1.5)  # every answer after the 1 s read timeout
    started = time.monotonic()
    result = outbound_dispatch(budget=20)
    elapsed = time.monotonic() - started
    assert result.attempted == 10 and elapsed < 4, elapsed  # in parallel: about one timeout, not ten
    assert DeliveryAttempt.objects.filter(error__contains="ReadTimeout").count() == 10


def test_the_breaker_stops_posting_to_a_dead_receiver_and_a_probe_reopens_the_flow(
    sync_settings, receiver, east_household
):
    sync_settings.EDU_SYNC_BREAKER_OPEN = 0.3
    _children(east_household, 60)
    receiver.stop()
    result = outbound_dispatch(budget=10)
    assert result.breaker_open_until > time.time() - 1
    assert result.attempted < 60  # not every child tried (and timed out) in turn
    assert OutboundEvent.objects.filter(attempts=0).exists()
    receiver.start()
    time.sleep(0.4)
    result = outbound_dispatch(budget=10)
    assert OutboundEvent.objects.filter(status=Status.DELIVERED).count() == 60, (
        result,
        list(DeliveryAttempt.objects.exclude(outcome="delivered").values_list("error", "started_at")),
        timezone.now(),
    )
    assert ChangeEvent.objects.count() == 60


def test_events_waiting_behind_a_parked_one_do_not_keep_a_worker_busy(sync_settings, receiver, east_child):
    _parked(receiver, east_child, "错误")
    _outbound(east_child, "张小刚")  # due now, but waits behind the parked event
    started = time.monotonic()
    result = outbound_dispatch(budget=10, idle_wait=5)
    assert time.monotonic() - started < 4 and not result.more and result.attempted == 0
