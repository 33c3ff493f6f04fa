"""A refused auto-encode is not an upload error, but the owner (and only the owner) is told why."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.models import UserSettings
from encoding import services
from encoding.models import Job
from mediaportal.asgi import application
from tests.encoding.conftest import make_video
from tests.mediaportal.test_status_socket import _token_headers

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_refused_auto_encode_sends_the_owner_a_notice(alice, bob, clips):
    UserSettings.objects.filter(user=alice).update(auto_encode=True, quota_mb=0)
    video = make_video(alice, clips.av_mp4, title="holiday")
    alice_headers, bob_headers = _token_headers(alice), _token_headers(bob)

    async def scenario():
        a = WebsocketCommunicator(application, "/ws/status/", headers=alice_headers)
        b = WebsocketCommunicator(application, "/ws/status/", headers=bob_headers)
        assert (await a.connect())[0] and (await b.connect())[0]
        job = await sync_to_async(services.on_video_uploaded, thread_sensitive=False)(video=video, preset_slug=None)
        got = await a.receive_json_from(timeout=5)
        silent = await b.receive_nothing(timeout=0.6)
        await a.disconnect()
        await b.disconnect()
        return job, got, silent

    job, got, silent = async_to_sync(scenario)()
    assert job is None and not Job.objects.filter(video=video).exists()
    assert got["event"] == "notice" and got["data"]["level"] == "error"
    assert got["data"]["message"].startswith("“holiday” was stored but not encoded: Your storage is full")
    assert silent is True
