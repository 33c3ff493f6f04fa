"""The Streams and Destinations pages as alice, bob and anonymous."""

import pytest
from django.test import Client

from streaming import crypto
from streaming.models import Destination, Stream, StreamState
from tests.streaming.conftest import KEY, custom_destination, make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_web(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_web(bob):
    client = Client()
    client.force_login(bob)
    return client


def test_pages_need_login(client):
    for url in ("/streams/", "/streams/destinations/"):
        assert client.get(url).status_code == 302


def test_settings_page_links_to_destinations(alice_web):
    assert b'href="/streams/destinations/"' in alice_web.get("/settings/").content


def test_add_destination_from_the_page_and_the_key_is_never_shown(alice_web, alice):
    r = alice_web.post("/streams/destinations/", {"name": "Twitch", "platform": "twitch", "secure": "on",
                                                  "stream_key": KEY}, follow=True)
    assert "Destination “Twitch” added." in r.content.decode()
    dest = Destination.objects.get(owner=alice)
    assert crypto.decrypt(dest.stream_key_encrypted) == KEY
    for url in ("/streams/destinations/", f"/streams/destinations/{dest.pk}/", "/streams/"):
        page = alice_web.get(url).content.decode()
        assert KEY not in page
    edit = alice_web.get(f"/streams/destinations/{dest.pk}/").content.decode()
    assert 'type="password"' in edit and "A key is set" in edit


def test_bad_destination_shows_the_error_and_saves_nothing(alice_web):
    r = alice_web.post("/streams/destinations/", {"name": "x", "platform": "custom", "url": "file:/etc/passwd",
                                                  "stream_key": KEY})
    assert r.status_code == 200
    assert "Only rtmp:// and rtmps:// URLs are allowed." in r.content.decode()
    assert KEY not in r.content.decode()  # the password field is not filled back in
    assert not Destination.objects.exists()


def test_edit_keeps_key_when_left_empty_and_delete(alice_web, alice):
    dest = custom_destination(alice, "rtmp://a.example/app")
    old = dest.stream_key_encrypted
    r = alice_web.post(f"/streams/destinations/{dest.pk}/", {"name": "new", "platform": "custom",
                                                             "url": "rtmps://b.example/app", "stream_key": ""})
    assert r.status_code == 302
    dest.refresh_from_db()
    assert (dest.name, dest.url, dest.stream_key_encrypted) == ("new", "rtmps://b.example/app", old)
    alice_web.post(f"/streams/destinations/{dest.pk}/delete/")
    assert not Destination.objects.exists()


def test_bob_gets_404_for_alices_destination_and_stream(alice, bob_web, clips):
    dest = custom_destination(alice, "rtmp://a.example/app")
    stream = Stream.objects.create(owner=alice, video=make_video(alice, clips.av_mp4), state=StreamState.LIVE,
                                   worker_pid=1, title="alice secret clip")
    assert bob_web.get(f"/streams/destinations/{dest.pk}/").status_code == 404
    assert bob_web.post(f"/streams/destinations/{dest.pk}/delete/").status_code == 404
    assert bob_web.post(f"/streams/{stream.pk}/stop/").status_code == 404
    assert Stream.objects.get(pk=stream.pk).stop_requested is False
    assert Destination.objects.filter(pk=dest.pk).exists()
    assert b"alice secret clip" not in bob_web.get("/streams/").content


def test_start_and_stop_from_the_page(alice_web, alice, clips, enqueued, django_capture_on_commit_callbacks):
    video, dest = make_video(alice, clips.av_mp4, title="Holiday"), custom_destination(alice, "rtmp://a/app")
    page = alice_web.get("/streams/").content.decode()
    assert f'value="v{video.pk}"' in page and f'value="{dest.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_web.post("/streams/start/", {"source": f"v{video.pk}", "destinations": [str(dest.pk)],
                                               "loop": "on"}, follow=True)
    assert "Stream of “Holiday” is starting." in r.content.decode()
    stream = Stream.objects.get(owner=alice)
    assert stream.loop and enqueued == [stream.pk]
    r = alice_web.post(f"/streams/{stream.pk}/stop/", follow=True)
    assert "Stopping the stream" in r.content.decode()
    assert Stream.objects.get(pk=stream.pk).state == StreamState.STOPPED


def test_page_start_refuses_someone_elses_destination(alice_web, alice, bob, clips):
    video, dest = make_video(alice, clips.av_mp4), custom_destination(bob, "rtmp://a/app")
    r = alice_web.post("/streams/start/", {"source": f"v{video.pk}", "destinations": [str(dest.pk)]}, follow=True)
    assert "Not started" in r.content.decode()
    assert not Stream.objects.exists()


def test_page_shows_limit_message(alice_web, alice, clips, settings):
    settings.MAX_STREAMS_PER_USER = 1
    video, dest = make_video(alice, clips.av_mp4), custom_destination(alice, "rtmp://a/app")
    Stream.objects.create(owner=alice, video=video, state=StreamState.LIVE, worker_pid=1)
    r = alice_web.post("/streams/start/", {"source": f"v{video.pk}", "destinations": [str(dest.pk)]}, follow=True)
    assert "your limit is 1" in r.content.decode()
    assert Stream.objects.count() == 1
