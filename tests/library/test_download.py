"""Downloads: exact Range slices, headers, 416, and which file "download" picks."""

import pytest
from django.conf import settings

from accounts.models import UserSettings
from accounts.selectors import user_settings_get
from encoding.models import Preset

pytestmark = pytest.mark.django_db


def body(resp) -> bytes:
    return b"".join(resp)


def stored(name: str) -> bytes:
    return (settings.MEDIA_ROOT / name).read_bytes()


@pytest.fixture
def video(alice, make_video):
    UserSettings.objects.filter(user=alice).update(default_preset=None)
    return make_video(alice, title="Ünï clip")


def test_full_download_headers(alice_api, video):
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/")
    assert resp.status_code == 200
    data = stored(video.original.name)
    assert body(resp) == data
    assert resp["Content-Length"] == str(len(data))
    assert resp["Accept-Ranges"] == "bytes"
    assert resp["Content-Type"] == "video/mp4"
    assert resp["Content-Disposition"] == "attachment; filename*=utf-8''%C3%9Cn%C3%AF%20clip.mp4"


@pytest.mark.parametrize("header,start,end", [
    ("bytes=0-0", 0, 0), ("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-500", -500, None),
    ("bytes=1000-1999", 1000, 1999), ("bytes=5-999999999", 5, None),
])
def test_range_returns_the_exact_slice(alice_api, video, header, start, end):
    data = stored(video.original.name)
    size = len(data)
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/", HTTP_RANGE=header)
    assert resp.status_code == 206
    expected = data[start:] if end is None else data[start:end + 1]
    assert body(resp) == expected
    first = start if start >= 0 else size + start
    assert resp["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{size}"
    assert resp["Content-Length"] == str(len(expected))


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=-0", "bytes=10-5"])
def test_unsatisfiable_range_is_416(alice_api, video, header):
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/", HTTP_RANGE=header)
    assert resp.status_code == 416
    assert resp["Content-Range"] == f"bytes */{video.size}"


def test_multiple_ranges_get_the_whole_file(alice_api, video):
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/", HTTP_RANGE="bytes=0-1,5-6")
    assert resp.status_code == 200 and len(body(resp)) == video.size


def test_if_range_resumes_only_the_same_file(alice_api, video):
    url = f"/api/v1/videos/{video.pk}/download/"
    etag = alice_api.head(url)["ETag"]
    assert etag.startswith('"') and alice_api.get(url)["Last-Modified"]
    same = alice_api.get(url, HTTP_RANGE="bytes=100-", HTTP_IF_RANGE=etag)
    assert same.status_code == 206 and body(same) == stored(video.original.name)[100:]
    changed = alice_api.get(url, HTTP_RANGE="bytes=100-", HTTP_IF_RANGE='"an-older-file"')
    assert changed.status_code == 200 and body(changed) == stored(video.original.name)


def test_the_etag_changes_when_the_download_means_another_file(alice_api, alice, video, make_rendition):
    url = f"/api/v1/videos/{video.pk}/download/"
    before = alice_api.head(url)["ETag"]
    rendition = make_rendition(video, "h264-480p")
    UserSettings.objects.filter(user=alice).update(default_preset=Preset.objects.get(slug=rendition.preset_slug))
    assert alice_api.head(url)["ETag"] != before


def test_inline_for_the_player(client, alice, video):
    client.force_login(alice)
    resp = client.get(f"/api/v1/videos/{video.pk}/download/?inline=1")
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("inline;")


def test_anonymous_gets_401(anon_api, video):
    resp = anon_api.get(f"/api/v1/videos/{video.pk}/download/")
    assert resp.status_code == 401


def test_default_is_the_rendition_of_the_default_preset(alice, alice_api, video, make_rendition):
    other = make_rendition(video, "h264-480p")
    wanted = make_rendition(video, "hevc-1080p")
    s = user_settings_get(user=alice)
    s.default_preset = Preset.objects.get(slug="hevc-1080p")
    s.save()
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/")
    assert body(resp) == stored(wanted.file.name)
    assert body(alice_api.get(f"/api/v1/videos/{video.pk}/download/?preset=h264-480p")) == stored(other.file.name)
    assert body(alice_api.get(f"/api/v1/videos/{video.pk}/download/?variant=original")) == stored(video.original.name)


def test_default_is_the_original_without_such_a_rendition(alice, alice_api, video, make_rendition):
    make_rendition(video, "h264-480p")
    s = user_settings_get(user=alice)
    s.default_preset = Preset.objects.get(slug="hevc-1080p")
    s.save()
    assert body(alice_api.get(f"/api/v1/videos/{video.pk}/download/")) == stored(video.original.name)


def test_replaced_original_falls_back_to_the_newest_rendition(alice_api, video, make_rendition):
    rendition = make_rendition(video, "h264-480p")
    type(video).objects.filter(pk=video.pk).update(original="")
    assert body(alice_api.get(f"/api/v1/videos/{video.pk}/download/")) == stored(rendition.file.name)
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/?variant=original")
    assert resp.status_code == 404 and "replaced" in resp.json()["detail"]


def test_preset_without_rendition_is_404_with_a_message(alice_api, video):
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/?preset=vp9-720p")
    assert resp.status_code == 404
    assert resp.json() == {"detail": "This video has no rendition made with preset 'vp9-720p'.", "code": "not_found"}


def test_unknown_variant_is_404(alice_api, video):
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/?variant=other")
    assert resp.status_code == 404 and "variant=original" in resp.json()["detail"]


def test_rendition_download_with_range(alice_api, video, make_rendition):
    rendition = make_rendition(video, "h264-480p")
    data = stored(rendition.file.name)
    resp = alice_api.get(f"/api/v1/renditions/{rendition.pk}/download/", HTTP_RANGE="bytes=10-19")
    assert resp.status_code == 206 and body(resp) == data[10:20]
    assert "h264-480p" in resp["Content-Disposition"]


def test_poster(alice_api, video):
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/poster/")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    assert body(resp) == stored(video.poster.name)


def test_missing_file_is_a_clear_404(alice_api, video):
    (settings.MEDIA_ROOT / video.original.name).unlink()
    resp = alice_api.get(f"/api/v1/videos/{video.pk}/download/")
    assert resp.status_code == 404 and "missing" in resp.json()["detail"]


def test_head_gives_headers_only(alice_api, video):
    resp = alice_api.head(f"/api/v1/videos/{video.pk}/download/", HTTP_RANGE="bytes=0-9")
    assert resp.status_code == 206
    assert resp["Content-Length"] == "10" and resp["Content-Range"] == f"bytes 0-9/{video.size}"
    assert resp.content == b""


def test_other_methods_are_refused(alice_api, video):
    assert alice_api.post(f"/api/v1/videos/{video.pk}/download/").status_code == 405
