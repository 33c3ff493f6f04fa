"""/api/v1/destinations/ and /api/v1/streams/ as alice, bob (another user) and anonymous."""

import json

import pytest

from streaming.models import Destination, Stream, StreamState
from tests.streaming.conftest import KEY, custom_destination, make_video

pytestmark = pytest.mark.django_db


def _no_key(response) -> None:
    assert KEY not in json.dumps(response.json())


def test_create_destination_key_is_write_only(alice_api):
    r = alice_api.post("/api/v1/destinations/", {"name": "YT", "platform": "youtube", "stream_key": KEY}, format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["stream_key_set"] is True and "stream_key" not in body
    assert body["ingest_url"] == "rtmps://a.rtmps.youtube.com:443/live2"
    _no_key(r)
    listing = alice_api.get("/api/v1/destinations/")
    assert listing.json()["count"] == 1
    _no_key(listing)
    _no_key(alice_api.get(f"/api/v1/destinations/{body['id']}/"))


@pytest.mark.parametrize("payload, field", [
    ({"name": "c", "platform": "custom", "url": "file:///etc/passwd", "stream_key": KEY}, "url"),
    ({"name": "c", "platform": "custom", "url": "rtmp://h/a|file:x.flv", "stream_key": KEY}, "url"),
    ({"name": "c", "platform": "custom", "stream_key": KEY}, "url"),
    ({"name": "c", "platform": "youtube"}, "stream_key"),
    ({"name": "c", "platform": "ftp", "stream_key": KEY}, "platform"),
])
def test_bad_destination_gets_400_with_the_field(alice_api, payload, field):
    r = alice_api.post("/api/v1/destinations/", payload, format="json")
    assert r.status_code == 400
    assert r.json()["code"] == "invalid" and field in r.json()["errors"]
    assert not Destination.objects.exists()


def test_patch_destination_keeps_key_and_never_returns_it(alice, alice_api):
    dest = custom_destination(alice, "rtmp://a.example/app")
    r = alice_api.patch(f"/api/v1/destinations/{dest.pk}/", {"name": "renamed"}, format="json")
    assert r.status_code == 200 and r.json()["name"] == "renamed" and r.json()["stream_key_set"]
    r = alice_api.patch(f"/api/v1/destinations/{dest.pk}/", {"url": "pipe:1"}, format="json")
    assert r.status_code == 400 and "url" in r.json()["errors"]
    assert Destination.objects.get(pk=dest.pk).url == "rtmp://a.example/app"


def test_bob_cannot_see_change_or_delete_alices_destination(alice, bob_api):
    dest = custom_destination(alice, "rtmp://a.example/app")
    assert bob_api.get("/api/v1/destinations/").json()["count"] == 0
    for call in (bob_api.get, bob_api.delete):
        assert call(f"/api/v1/destinations/{dest.pk}/").status_code == 404
    assert bob_api.patch(f"/api/v1/destinations/{dest.pk}/", {"name": "x"}, format="json").status_code == 404
    assert Destination.objects.get(pk=dest.pk).name == "mine"


def test_delete_destination(alice, alice_api):
    dest = custom_destination(alice, "rtmp://a.example/app")
    assert alice_api.delete(f"/api/v1/destinations/{dest.pk}/").status_code == 204
    assert not Destination.objects.exists()


def test_anonymous_gets_nothing(anon_api):
    assert anon_api.get("/api/v1/destinations/").status_code == 401
    assert anon_api.get("/api/v1/streams/").status_code == 401


def test_start_list_get_and_stop_a_stream(alice, alice_api, clips, enqueued, django_capture_on_commit_callbacks):
    video, dest = make_video(alice, clips.av_mp4), custom_destination(alice, "rtmp://a.example/app")
    with django_capture_on_commit_callbacks(execute=True):
        r = alice_api.post("/api/v1/streams/", {"video": video.pk, "destinations": [dest.pk], "loop": True},
                           format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["state"], body["loop"], body["video"]) == ("starting", True, video.pk)
    assert body["destinations"] == [{"id": body["destinations"][0]["id"], "destination": dest.pk, "name": "mine",
                                     "state": "pending", "error": ""}]
    assert enqueued == [body["id"]]
    _no_key(r)
    assert alice_api.get("/api/v1/streams/").json()["results"][0]["id"] == body["id"]
    assert alice_api.get(f"/api/v1/streams/{body['id']}/").json()["state"] == "starting"
    r = alice_api.post(f"/api/v1/streams/{body['id']}/stop/")
    assert r.status_code == 200 and r.json()["state"] == "stopped"


def test_start_from_a_rendition_id_of_another_user_or_missing_is_404(alice, bob, bob_api, clips):
    video, dest = make_video(alice, clips.av_mp4), custom_destination(bob, "rtmp://a.example/app")
    r = bob_api.post("/api/v1/streams/", {"video": video.pk, "destinations": [dest.pk]}, format="json")
    assert r.status_code == 404 and r.json()["detail"] == "No such video."
    r = bob_api.post("/api/v1/streams/", {"rendition": 999, "destinations": [dest.pk]}, format="json")
    assert r.status_code == 404
    assert not Stream.objects.exists()


def test_another_users_destination_cannot_be_used(alice, bob, bob_api, clips):
    video, dest = make_video(bob, clips.av_mp4), custom_destination(alice, "rtmp://a.example/app")
    r = bob_api.post("/api/v1/streams/", {"video": video.pk, "destinations": [dest.pk]}, format="json")
    assert r.status_code == 404 and r.json()["detail"] == "No such destination."
    assert not Stream.objects.exists()


def test_bad_stream_requests(alice, alice_api, clips):
    video = make_video(alice, clips.av_mp4)
    r = alice_api.post("/api/v1/streams/", {"video": video.pk, "destinations": []}, format="json")
    assert r.status_code == 400 and "destinations" in r.json()["errors"]
    r = alice_api.post("/api/v1/streams/", {"destinations": [1]}, format="json")
    assert r.status_code == 400 and "video" in r.json()["errors"]


def test_missing_file_is_a_clear_400(alice, alice_api, clips):
    video, dest = make_video(alice, clips.av_mp4), custom_destination(alice, "rtmp://a.example/app")
    from library.storage import absolute

    absolute(video.original.name).unlink()
    r = alice_api.post("/api/v1/streams/", {"video": video.pk, "destinations": [dest.pk]}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "missing_file"
    assert "missing on the server" in r.json()["detail"]


def test_limit_is_429_with_a_message(alice, alice_api, clips, settings):
    settings.MAX_STREAMS_PER_USER = 1
    video, dest = make_video(alice, clips.av_mp4), custom_destination(alice, "rtmp://a.example/app")
    payload = {"video": video.pk, "destinations": [dest.pk]}
    assert alice_api.post("/api/v1/streams/", payload, format="json").status_code == 201
    r = alice_api.post("/api/v1/streams/", payload, format="json")
    assert r.status_code == 429 and r.json()["code"] == "stream_limit"
    assert "stop one first" in r.json()["detail"]


def test_instance_limit_is_409(alice, alice_api, clips, settings):
    settings.MAX_STREAMS = 1
    video, dest = make_video(alice, clips.av_mp4), custom_destination(alice, "rtmp://a.example/app")
    Stream.objects.create(owner=alice, video=video, state=StreamState.LIVE)
    settings.MAX_STREAMS_PER_USER = 5
    r = alice_api.post("/api/v1/streams/", {"video": video.pk, "destinations": [dest.pk]}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "instance_busy"


def test_bob_can_neither_see_nor_stop_alices_stream(alice, bob_api, clips):
    video = make_video(alice, clips.av_mp4)
    stream = Stream.objects.create(owner=alice, video=video, state=StreamState.LIVE, worker_pid=1)
    assert bob_api.get("/api/v1/streams/").json()["count"] == 0
    assert bob_api.get(f"/api/v1/streams/{stream.pk}/").status_code == 404
    assert bob_api.post(f"/api/v1/streams/{stream.pk}/stop/").status_code == 404
    assert Stream.objects.get(pk=stream.pk).stop_requested is False


def test_schema_lists_the_endpoints(alice_api):
    schema = alice_api.get("/api/schema/").content.decode()
    for path in ("/api/v1/destinations/", "/api/v1/streams/{id}/stop/"):
        assert path in schema


def test_start_from_a_rendition(alice, alice_api, clips):
    from tests.streaming.test_services import _rendition

    video, dest = make_video(alice, clips.av_mp4), custom_destination(alice, "rtmp://a.example/app")
    rendition = _rendition(video, clips.av_mp4)
    r = alice_api.post("/api/v1/streams/", {"rendition": rendition.pk, "destinations": [dest.pk]}, format="json")
    assert r.status_code == 201 and (r.json()["video"], r.json()["rendition"]) == (video.pk, rendition.pk)
