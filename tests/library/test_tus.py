"""The tus 1.0.0 protocol through the Django test client, and tuspy against a live portal."""

import base64
import hashlib
from pathlib import Path

import pytest
import requests
from django.conf import settings
from tusclient import client as tus_client

from library.models import Upload, Video
from tests.library.conftest import TUS, tus_create, tus_patch, tus_upload, user_files

pytestmark = pytest.mark.django_db


def test_options_advertises_version_extensions_and_max_size(anon_api, settings):
    resp = anon_api.options("/api/v1/uploads/")
    assert resp.status_code == 204
    assert resp["Tus-Resumable"] == "1.0.0"
    assert resp["Tus-Version"] == "1.0.0"
    assert set(resp["Tus-Extension"].split(",")) == {"creation", "termination", "expiration", "checksum"}
    assert int(resp["Tus-Max-Size"]) == settings.MAX_UPLOAD_MB * 1024 * 1024
    assert resp["Tus-Checksum-Algorithm"] == "sha1,md5"


def test_anonymous_cannot_create(anon_api):
    resp = tus_create(anon_api, 100, filename="a.mp4")
    assert resp.status_code == 401
    assert resp["Tus-Resumable"] == "1.0.0"


def test_wrong_tus_version_is_412(alice_api):
    resp = alice_api.post("/api/v1/uploads/", HTTP_TUS_RESUMABLE="0.2.2", HTTP_UPLOAD_LENGTH="10")
    assert resp.status_code == 412
    assert resp["Tus-Version"] == "1.0.0"
    assert Upload.objects.count() == 0


def test_create_head_patch_completes_into_a_video(alice, alice_api, clips):
    data = clips.av_mp4.read_bytes()
    created = tus_create(alice_api, len(data), filename="holiday.mp4")
    assert created.status_code == 201
    url = created["Location"]
    assert url.startswith("http://testserver/api/v1/uploads/")
    assert "Upload-Expires" in created
    head = alice_api.head(url, **TUS)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "0", str(len(data)))
    assert head["Cache-Control"] == "no-store"

    half = len(data) // 2
    first = tus_patch(alice_api, url, 0, data[:half])
    assert (first.status_code, first["Upload-Offset"]) == (204, str(half))
    assert "X-Video-Id" not in first
    last = tus_patch(alice_api, url, half, data[half:])
    assert last.status_code == 204
    video = Video.objects.get(owner=alice)
    assert last["X-Video-Id"] == str(video.pk)
    assert last["X-Video-Url"].endswith(f"/api/v1/videos/{video.pk}/")
    assert (video.title, video.original_name, video.width, video.height) == ("holiday", "holiday.mp4", 320, 240)
    assert video.video_codec == "h264" and video.audio_codec == "aac"
    stored = Path(settings.MEDIA_ROOT) / video.original.name
    assert stored.parent == Path(settings.MEDIA_ROOT) / f"u{alice.pk}" / "originals"
    assert hashlib.sha256(stored.read_bytes()).digest() == hashlib.sha256(data).digest()
    assert video.poster and (Path(settings.MEDIA_ROOT) / video.poster.name).stat().st_size > 0
    # A HEAD after completion still tells the client where its video is.
    head = alice_api.head(url, **TUS)
    assert head["Upload-Offset"] == str(len(data)) and head["X-Video-Id"] == str(video.pk)
    assert head["X-Video-Page"].endswith(f"/library/{video.pk}/")


def test_wrong_offset_is_409_and_changes_nothing(alice_api, clips):
    url = tus_create(alice_api, 1000, filename="a.mp4")["Location"]
    tus_patch(alice_api, url, 0, b"x" * 100)
    resp = tus_patch(alice_api, url, 50, b"y" * 10)
    assert resp.status_code == 409
    assert "does not match the server's offset 100" in resp.json()["detail"]
    assert alice_api.head(url, **TUS)["Upload-Offset"] == "100"


def test_patch_needs_offset_content_type(alice_api):
    url = tus_create(alice_api, 100, filename="a.mp4")["Location"]
    resp = alice_api.generic("PATCH", url, b"abc", content_type="application/octet-stream",
                             HTTP_UPLOAD_OFFSET="0", **TUS)
    assert resp.status_code == 415
    assert Upload.objects.get().offset == 0


def test_chunk_past_upload_length_is_refused(alice_api):
    url = tus_create(alice_api, 10, filename="a.mp4")["Location"]
    resp = tus_patch(alice_api, url, 0, b"x" * 11)
    assert resp.status_code == 400
    assert "Upload-Length" in resp.json()["detail"]
    assert Upload.objects.get().offset == 0


def test_defer_length_is_not_supported(alice_api):
    resp = alice_api.post("/api/v1/uploads/", HTTP_UPLOAD_DEFER_LENGTH="1", **TUS)
    assert resp.status_code == 400
    assert "Upload-Defer-Length is not supported" in resp.json()["detail"]


def test_missing_upload_length_is_400(alice_api):
    resp = alice_api.post("/api/v1/uploads/", **TUS)
    assert resp.status_code == 400 and "Upload-Length" in resp.json()["detail"]


def test_bad_metadata_is_400(alice_api):
    resp = alice_api.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA="filename ###", **TUS)
    assert resp.status_code == 400 and "filename" in resp.json()["detail"]


def test_unknown_preset_is_refused_at_creation(alice, alice_api):
    resp = tus_create(alice_api, 10, filename="a.mp4", preset="no-such-preset")
    assert resp.status_code == 400
    assert resp.json()["code"] == "unknown_preset"
    assert user_files(alice) == [] and Upload.objects.count() == 0


def test_preset_override_is_passed_to_the_encoding_hook(alice, alice_api, clips, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr("encoding.services.on_video_uploaded", lambda **kw: calls.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        resp = tus_upload(alice_api, clips.av_mp4, preset="h264-480p")
    assert resp.status_code == 204
    assert calls == [{"video": Video.objects.get(owner=alice), "preset_slug": "h264-480p"}]


def test_checksum_mismatch_is_460_and_the_chunk_is_discarded(alice_api):
    url = tus_create(alice_api, 20, filename="a.mp4")["Location"]
    wrong = base64.b64encode(hashlib.sha1(b"other").digest()).decode()
    resp = tus_patch(alice_api, url, 0, b"x" * 10, HTTP_UPLOAD_CHECKSUM=f"sha1 {wrong}")
    assert resp.status_code == 460
    assert resp.json()["code"] == "checksum_mismatch"
    upload = Upload.objects.get()
    assert upload.offset == 0
    assert (Path(settings.MEDIA_ROOT) / upload.partial).stat().st_size == 0
    right = base64.b64encode(hashlib.md5(b"x" * 10).digest()).decode()
    ok = tus_patch(alice_api, url, 0, b"x" * 10, HTTP_UPLOAD_CHECKSUM=f"md5 {right}")
    assert (ok.status_code, ok["Upload-Offset"]) == (204, "10")


def test_unsupported_checksum_algorithm_is_400(alice_api):
    url = tus_create(alice_api, 20, filename="a.mp4")["Location"]
    resp = tus_patch(alice_api, url, 0, b"x", HTTP_UPLOAD_CHECKSUM="crc32 AAAA")
    assert resp.status_code == 400 and "sha1 or md5" in resp.json()["detail"]


def test_termination_removes_the_partial_file(alice, alice_api):
    url = tus_create(alice_api, 100, filename="a.mp4")["Location"]
    tus_patch(alice_api, url, 0, b"x" * 40)
    assert len(user_files(alice)) == 1
    resp = alice_api.delete(url, **TUS)
    assert resp.status_code == 204
    assert user_files(alice) == [] and Upload.objects.count() == 0
    assert alice_api.head(url, **TUS).status_code == 404


def test_expired_uploads_are_removed_lazily(alice, alice_api):
    from datetime import timedelta

    from django.utils import timezone

    url = tus_create(alice_api, 100, filename="old.mp4")["Location"]
    tus_patch(alice_api, url, 0, b"x" * 10)
    Upload.objects.update(expires=timezone.now() - timedelta(seconds=1))
    tus_create(alice_api, 100, filename="new.mp4")
    assert list(Upload.objects.values_list("filename", flat=True)) == ["new.mp4"]
    assert len(user_files(alice)) == 1
    assert alice_api.head(url, **TUS).status_code == 404


def test_session_auth_needs_the_csrf_token(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    refused = tus_create(client, 10, filename="a.mp4")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/library/")
    token = client.cookies["csrftoken"].value
    ok = client.post("/api/v1/uploads/", HTTP_UPLOAD_LENGTH="10", HTTP_X_CSRFTOKEN=token, **TUS)
    assert ok.status_code == 201


# --- tuspy against the real server (daphne) -------------------------------------------------------

def _token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key


@pytest.mark.django_db(transaction=True)
def test_tuspy_upload_cut_off_and_resumed(live_portal, alice, clips, tmp_path):
    # A bigger real clip so there are several chunks to cut between.
    src = clips.av_mp4
    data = src.read_bytes()
    client = tus_client.TusClient(f"{live_portal.url}/api/v1/uploads/",
                                  headers={"Authorization": f"Token {_token(alice)}"})
    uploader = client.uploader(str(src), chunk_size=len(data) // 3, metadata={"filename": "ré sumé ✓.mp4"})
    uploader.upload_chunk()  # the first third arrives, then the "connection drops"
    first_offset = uploader.offset
    assert 0 < first_offset < len(data)
    url = uploader.url

    # A new client (as after a crash) resumes from the offset the server reports.
    resumed = client.uploader(str(src), url=url, chunk_size=len(data) // 3, upload_checksum=True)
    assert resumed.offset == first_offset
    resumed.upload()
    head = requests.head(url, headers={"Tus-Resumable": "1.0.0", "Authorization": f"Token {_token(alice)}"})
    video = Video.objects.get(owner=alice)
    assert head.headers["X-Video-Id"] == str(video.pk)
    assert video.title == "ré sumé ✓"
    stored = Path(settings.DATA_DIR) / "media" / video.original.name
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_a_patch_cut_off_midway_is_resumed_by_tuspy(live_portal, alice, clips):
    """A raw PATCH whose connection dies halfway: the server never counts bytes it did not fully
    get in that request, and tuspy resumes from whatever offset the server reports."""
    import socket
    from urllib.parse import urlsplit

    data = clips.av_mp4.read_bytes()
    token = _token(alice)
    created = requests.post(f"{live_portal.url}/api/v1/uploads/", headers={
        "Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)), "Authorization": f"Token {token}",
        "Upload-Metadata": "filename " + base64.b64encode(b"cut.mp4").decode()})
    url = created.headers["Location"]
    path = urlsplit(url).path
    with socket.create_connection(("127.0.0.1", live_portal.port)) as sock:
        sock.sendall((f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\n"
                      f"Authorization: Token {token}\r\nUpload-Offset: 0\r\n"
                      f"Content-Type: application/offset+octet-stream\r\nContent-Length: {len(data)}\r\n\r\n").encode()
                     + data[: len(data) // 2])
    client = tus_client.TusClient(f"{live_portal.url}/api/v1/uploads/", headers={"Authorization": f"Token {token}"})
    uploader = client.uploader(str(clips.av_mp4), url=url)
    assert 0 <= uploader.offset <= len(data) // 2
    uploader.upload()
    video = Video.objects.get(owner=alice)
    stored = Path(settings.DATA_DIR) / "media" / video.original.name
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()


def test_repeating_the_last_patch_after_completion_is_harmless(alice, alice_api, clips):
    data = clips.av_mp4.read_bytes()
    url = tus_create(alice_api, len(data), filename="a.mp4")["Location"]
    assert tus_patch(alice_api, url, 0, data).status_code == 204
    again = tus_patch(alice_api, url, len(data), b"")
    assert again.status_code == 204
    assert again["X-Video-Id"] == str(Video.objects.get(owner=alice).pk)
    assert Video.objects.count() == 1
