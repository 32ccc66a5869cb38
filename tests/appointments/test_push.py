"""Every call path publishes after commit; a display that reconnects catches up; phones get their
position. Through the real ASGI application, consumers and channel layer (in-memory here; the
browser test and the fan-out bench use Redis).

Each scenario runs in one event loop; sync work (the test client, services) runs through
``sync_to_async`` back on the test's thread, like Django's own views under ASGI."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from appointments.services import queue as q
from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def scene(east, clerk_east):
    from hukou.models import BusinessType
    from tests.hukou.catalogue import load_business_catalogue

    load_business_catalogue()
    return east, clerk_east, BusinessType.objects.get(code="birth"), east.windows.get(number=3)


def _socket(path):
    return WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")]
    )


async def _calls(socket, n):
    calls = []
    while len(calls) < n:
        event = await socket.receive_json_from(timeout=2)
        if event["kind"] == "call":
            calls.append(event)
    return calls


def test_a_console_call_reaches_the_display_with_its_clips(scene, login):
    east, clerk, birth, window = scene
    q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    client = login(clerk)

    async def scenario():
        display = _socket(f"/ws/display/{east.code}/")
        assert (await display.connect())[0]
        await sync_to_async(client.post)(reverse("appointments:console_action", args=[window.pk, "call_next"]))
        (event,) = await _calls(display, 1)
        await display.disconnect()
        return event

    event = async_to_sync(scenario)()

    assert (event["number"], event["window"], event["recall"]) == ("B001", 3, False)
    assert event["text"] == "请 B001 号到 3 号窗口"
    assert event["clips"] == ["chime", "qing", "letter_b", "d0", "d0", "d1", "hao", "dao", "d3", "hao", "chuangkou"]
    assert "token" not in event  # the public display never learns the phone's secret


def test_an_api_call_and_a_recall_reach_the_display_too(scene, login):
    east, clerk, birth, window = scene
    ticket = q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    client = login(clerk)

    async def scenario():
        display = _socket(f"/ws/display/{east.code}/")
        await display.connect()
        call = reverse("api-ticket-call", args=[ticket.pk])
        await sync_to_async(client.post)(call, {"window": window.pk}, content_type="application/json")
        await sync_to_async(client.post)(reverse("api-ticket-recall", args=[ticket.pk]))
        calls = await _calls(display, 2)
        await display.disconnect()
        return calls

    assert [c["recall"] for c in async_to_sync(scenario)()] == [False, True]


def test_a_reconnecting_display_catches_up_on_missed_calls(scene):
    east, clerk, birth, window = scene
    first = q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    second = q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    q.ticket_call(actor=clerk, ticket_id=first.pk, window_id=window.pk)
    seen = first.calls.get().pk
    q.ticket_call(actor=clerk, ticket_id=second.pk, window_id=east.windows.get(number=1).pk)  # display offline

    async def scenario():
        display = _socket(f"/ws/display/{east.code}/?after={seen}")
        await display.connect()
        missed = await display.receive_json_from(timeout=2)
        quiet = await display.receive_nothing(timeout=0.3)
        await display.disconnect()
        return missed, quiet

    missed, quiet = async_to_sync(scenario)()

    assert (missed["number"], missed["catch_up"]) == ("B002", True)
    assert quiet  # only what was missed, once


def test_the_phone_hears_its_position_change_and_its_turn(scene):
    east, clerk, birth, window = scene
    ahead = q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)
    mine = q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)

    async def scenario():
        phone = _socket(f"/ws/ticket/{mine.token}/")
        await phone.connect()
        states = [await phone.receive_json_from(timeout=2)]
        await sync_to_async(q.ticket_call)(actor=clerk, ticket_id=ahead.pk, window_id=window.pk)
        states.append(await phone.receive_json_from(timeout=2))
        window1 = await sync_to_async(lambda: east.windows.get(number=1).pk)()
        await sync_to_async(q.ticket_call)(actor=clerk, ticket_id=mine.pk, window_id=window1)
        states.append(await phone.receive_json_from(timeout=2))
        await phone.disconnect()
        return states

    before, after, turn = async_to_sync(scenario)()

    assert (before["ahead"], after["ahead"]) == (1, 0)
    assert turn["your_turn"] is True and turn["window"] == 1


def test_an_unknown_ticket_token_is_refused(scene):
    async def scenario():
        connected, _ = await _socket("/ws/ticket/nope/").connect()
        return connected

    assert async_to_sync(scenario)() is False
