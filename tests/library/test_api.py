"""The library API: list (own only, paginated, search, ordering), detail, rename, delete, renditions."""

from pathlib import Path

import pytest
from django.conf import settings

from library.models import Rendition, Video
from tests.library.conftest import user_files

pytestmark = pytest.mark.django_db


def test_list_is_own_only_paginated_with_fields(alice, bob, alice_api, make_video, make_rendition):
    mine = make_video(alice, title="Mine")
    make_rendition(mine, "h264-480p")
    make_video(bob, title="Bobs")
    resp = alice_api.get("/api/v1/videos/")
    assert resp.status_code == 200
    data = resp.json()
    assert (data["count"], data["next"], data["previous"]) == (1, None, None)
    item = data["results"][0]
    for field in ("id", "title", "duration", "width", "height", "size", "renditions", "download_url", "poster_url",
                  "original_available", "space_saved"):
        assert field in item
    assert (item["id"], item["title"], item["width"], item["height"]) == (mine.pk, "Mine", 320, 240)
    assert item["original_available"] is True
    assert item["download_url"].endswith(f"/api/v1/videos/{mine.pk}/download/")
    rendition = item["renditions"][0]
    assert rendition["preset"] == "h264-480p" and rendition["size"] > 0 and rendition["video_codec"] == "h264"
    assert item["space_saved"] == max(0, mine.size - rendition["size"])


def test_search_and_ordering(alice, alice_api, make_video, clips):
    make_video(alice, title="Beach day")
    make_video(alice, clips.audio_m4a, title="Alpine song")
    make_video(alice, title="City night")
    titles = lambda q: [v["title"] for v in alice_api.get(f"/api/v1/videos/?{q}").json()["results"]]  # noqa: E731
    assert titles("search=night") == ["City night"]
    assert titles("ordering=title") == ["Alpine song", "Beach day", "City night"]
    assert titles("ordering=-title") == ["City night", "Beach day", "Alpine song"]
    assert titles("ordering=size")[0] == "Alpine song"


def test_detail_lists_renditions(alice, alice_api, make_video, make_rendition):
    video = make_video(alice)
    rendition = make_rendition(video)
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/")
    assert resp.status_code == 200
    assert [r["id"] for r in resp.json()["renditions"]] == [rendition.pk]
    one = alice_api.get(f"/api/v1/renditions/{rendition.pk}/")
    assert one.status_code == 200
    assert (one.json()["video"], one.json()["preset"], one.json()["width"]) == (video.pk, "h264-720p", 320)


def test_patch_renames_only_the_title(alice, alice_api, make_video):
    video = make_video(alice)
    resp = alice_api.patch(f"/api/v1/videos/{video.pk}/", {"title": "  New name  "}, format="json")
    assert resp.status_code == 200 and resp.json()["title"] == "New name"
    video.refresh_from_db()
    assert video.title == "New name"


@pytest.mark.parametrize("payload,message", [
    ({"title": "   "}, "title: The title cannot be empty."),
    ({"size": 1}, "size: Only the title can be changed."),
    ({"title": "x" * 256}, "title: Ensure this field has no more than 255 characters."),
])
def test_bad_patch_is_400_and_changes_nothing(alice, alice_api, make_video, payload, message):
    video = make_video(alice, title="Keep")
    resp = alice_api.patch(f"/api/v1/videos/{video.pk}/", payload, format="json")
    assert resp.status_code == 400
    assert resp.json()["detail"] == message
    video.refresh_from_db()
    assert (video.title, video.size > 1) == ("Keep", True)


def test_delete_removes_files_and_renditions(alice, alice_api, make_video, make_rendition,
                                             django_capture_on_commit_callbacks):
    video = make_video(alice)
    make_rendition(video)
    assert len(user_files(alice)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        resp = alice_api.delete(f"/api/v1/videos/{video.pk}/")
    assert resp.status_code == 204
    assert user_files(alice) == []
    assert not Video.objects.exists() and not Rendition.objects.exists()


def test_delete_one_rendition(alice, alice_api, make_video, make_rendition, django_capture_on_commit_callbacks):
    video = make_video(alice)
    rendition = make_rendition(video)
    path = Path(settings.MEDIA_ROOT) / rendition.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_api.delete(f"/api/v1/renditions/{rendition.pk}/").status_code == 204
    assert not path.exists() and Video.objects.filter(pk=video.pk).exists()


def test_multipart_upload(alice, alice_api, clips):
    with open(clips.av_mp4, "rb") as fh:
        resp = alice_api.post("/api/v1/videos/", {"file": fh, "title": "From a script"}, format="multipart")
    assert resp.status_code == 201
    data = resp.json()
    assert (data["title"], data["width"], data["duration"] > 1.5) == ("From a script", 320, True)
    assert data["poster_url"].endswith(f"/api/v1/videos/{data['id']}/poster/")


def test_multipart_unknown_preset_is_400(alice, alice_api, clips):
    with open(clips.av_mp4, "rb") as fh:
        resp = alice_api.post("/api/v1/videos/", {"file": fh, "preset": "nope"}, format="multipart")
    assert resp.status_code == 400 and resp.json()["code"] == "unknown_preset"
    assert user_files(alice) == []


def test_anonymous_is_refused(anon_api):
    assert anon_api.get("/api/v1/videos/").status_code == 401


def test_schema_lists_the_library_endpoints(alice_api):
    resp = alice_api.get("/api/schema/")
    assert resp.status_code == 200
    text = resp.content.decode()
    for path in ("/api/v1/videos/{video_id}/", "/api/v1/uploads/", "/api/v1/renditions/{rendition_id}/"):
        assert path in text
