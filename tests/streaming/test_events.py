"""`stream` status events over /ws/status/ while a real stream runs: to the owner only."""

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from mediaportal.asgi import application
from streaming.services import stream_start
from streaming.worker import stream_run
from tests.streaming.conftest import KEY, custom_destination, make_video

pytestmark = pytest.mark.django_db(transaction=True)


def _headers(user):
    token, _ = Token.objects.get_or_create(user=user)
    return [(b"authorization", f"Token {token.key}".encode())]


def test_owner_sees_the_stream_go_live_and_finish_and_bob_hears_nothing(alice, bob, clips, receivers):
    rx = receivers()
    stream = stream_start(owner=alice, video=make_video(alice, clips.av_mp4), rendition=None,
                          destinations=[custom_destination(alice, rx.base)], loop=False)
    alice_headers, bob_headers = _headers(alice), _headers(bob)

    async def scenario():
        a = WebsocketCommunicator(application, "/ws/status/", headers=alice_headers)
        b = WebsocketCommunicator(application, "/ws/status/", headers=bob_headers)
        assert (await a.connect())[0] and (await b.connect())[0]
        final = await sync_to_async(stream_run, thread_sensitive=False)(stream_id=stream.pk)
        events = []
        while True:
            msg = await a.receive_json_from(timeout=5)
            events.append(msg)
            if msg["data"]["state"] == final:
                break
        silent = await b.receive_nothing(timeout=0.6)
        await a.disconnect()
        await b.disconnect()
        return events, silent

    events, bob_silent = async_to_sync(scenario)()
    assert bob_silent is True
    assert {e["event"] for e in events} == {"stream"}
    states = [e["data"]["state"] for e in events]
    assert "live" in states and states[-1] == "finished"
    live = next(e["data"] for e in events if e["data"]["state"] == "live")
    assert set(live) == {"id", "state", "elapsed", "bitrate_kbps", "fps", "speed", "error", "destinations"}
    assert live["id"] == stream.pk and live["destinations"][0]["name"] == "mine"
    assert events[-1]["data"]["elapsed"] == pytest.approx(2.0, abs=0.35)
    assert len(events) <= 12  # about 2 a second for a 2 s file, not one per progress line
    assert KEY not in json.dumps(events)
    rx.finish()
