"""Job events over /ws/status/ against the real ASGI application: in order, rising, owner only."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from encoding import services
from encoding.models import Job, Preset
from mediaportal.asgi import application
from tests.encoding.conftest import make_video

pytestmark = pytest.mark.django_db(transaction=True)
ORDER = {"queued": 0, "running": 1, "succeeded": 2}


def _headers(user):
    token, _ = Token.objects.get_or_create(user=user)
    return [(b"authorization", f"Token {token.key}".encode())]


def test_job_events_arrive_in_order_with_rising_progress_and_only_to_the_owner(alice, bob, long_clip, sync_tasks):
    video = make_video(alice, long_clip)
    preset = Preset.objects.get(slug="hevc-1080p")  # x265 medium: slow enough to be watched
    alice_headers, bob_headers = _headers(alice), _headers(bob)

    def create_and_run():
        # django-q2 sync mode: the commit hands the job to a "worker" that runs it right here.
        return services.job_create(owner=alice, video=video, preset=preset).pk

    async def scenario():
        a = WebsocketCommunicator(application, "/ws/status/", headers=alice_headers)
        b = WebsocketCommunicator(application, "/ws/status/", headers=bob_headers)
        assert (await a.connect())[0] and (await b.connect())[0]
        work = asyncio.ensure_future(sync_to_async(create_and_run, thread_sensitive=False)())
        events = []
        while not events or events[-1]["state"] not in ("succeeded", "failed", "cancelled"):
            message = await a.receive_json_from(timeout=30)
            if message["event"] == "job":
                events.append(message["data"])
        job_id = await work
        silent = await b.receive_nothing(timeout=0.5)
        await a.disconnect()
        await b.disconnect()
        return job_id, events, silent

    job_id, events, bob_heard_nothing = async_to_sync(scenario)()
    assert {e["id"] for e in events} == {job_id}
    states = [e["state"] for e in events]
    assert states[0] == "queued" and states[-1] == "succeeded", states
    assert [ORDER[s] for s in states] == sorted(ORDER[s] for s in states)
    progress = [e["progress"] for e in events if e["state"] != "queued"]
    assert progress == sorted(progress) and progress[-1] == 100
    assert len({p for p in progress if 0 < p < 100}) >= 2, progress  # it was seen moving
    assert events[-1]["rendition"] == Job.objects.get(pk=job_id).rendition_id is not None
    assert set(events[-1]) == {"id", "video", "preset", "state", "progress", "fps", "speed", "eta", "error",
                               "rendition", "queue_position"}
    assert bob_heard_nothing is True
