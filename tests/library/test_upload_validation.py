"""Every bad input from the issue gets a clear 4xx and leaves nothing behind: no file under the
user's directory, no Upload or Video row. Both through tus and the multipart endpoint."""

import pytest

from accounts.selectors import user_settings_get
from library.models import Upload, Video
from tests.library.conftest import tus_create, tus_upload, user_files

pytestmark = pytest.mark.django_db

BAD_MEDIA = [
    ("random_mp4", "random.mp4", "not a video or audio file"),
    ("png", "picture.png", "not a video or audio file"),
    ("text_mp4", "notes.txt", "not a video or audio file"),
    ("truncated_mp4", "cut.mp4", "truncated or corrupt"),
]


def assert_nothing_left(user):
    assert user_files(user) == []
    assert Upload.objects.count() == 0
    assert Video.objects.count() == 0


@pytest.mark.parametrize("attr,name,reason", BAD_MEDIA)
def test_tus_refuses_files_that_are_not_media(alice, alice_api, clips, attr, name, reason):
    resp = tus_upload(alice_api, getattr(clips, attr), name=name)
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "not_media"
    assert reason in body["detail"] and name in body["detail"]
    assert_nothing_left(alice)


@pytest.mark.parametrize("attr,name,reason", BAD_MEDIA)
def test_multipart_refuses_files_that_are_not_media(alice, alice_api, clips, attr, name, reason):
    with open(getattr(clips, attr), "rb") as fh:
        resp = alice_api.post("/api/v1/videos/", {"file": fh}, format="multipart")
    assert resp.status_code == 422
    assert reason in resp.json()["detail"]
    assert_nothing_left(alice)


def test_zero_bytes_is_refused_at_creation(alice, alice_api):
    resp = tus_create(alice_api, 0, filename="empty.mp4")
    assert resp.status_code == 400
    assert resp.json() == {"detail": "The file is empty (0 bytes): there is nothing to upload.", "code": "empty"}
    assert_nothing_left(alice)


def test_zero_bytes_multipart_is_refused(alice, alice_api, clips):
    with open(clips.empty_mp4, "rb") as fh:
        resp = alice_api.post("/api/v1/videos/", {"file": fh}, format="multipart")
    assert resp.status_code == 400 and resp.json()["code"] == "empty"
    assert_nothing_left(alice)


def test_over_the_max_upload_size_is_413_before_any_byte(alice, alice_api, settings):
    settings.MAX_UPLOAD_MB = 1
    resp = tus_create(alice_api, 2 * 1024 * 1024, filename="big.mp4")
    assert resp.status_code == 413
    assert resp.json() == {"detail": "The file is 2.0 MB; the largest upload allowed is 1.0 MB.", "code": "too_large"}
    assert_nothing_left(alice)


def test_over_the_max_upload_size_multipart_is_413(alice, alice_api, settings, clips):
    settings.MAX_UPLOAD_MB = 1
    big = clips.av_mp4.parent / "big.bin"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    with open(big, "rb") as fh:
        resp = alice_api.post("/api/v1/videos/", {"file": fh}, format="multipart")
    assert resp.status_code == 413 and resp.json()["code"] == "too_large"
    assert_nothing_left(alice)


def test_an_oversized_multipart_body_is_refused_before_parsing(alice, alice_api, settings, monkeypatch):
    settings.MAX_UPLOAD_MB = 1
    parsed = []
    monkeypatch.setattr("library.api.VideoUploadSerializer.is_valid", lambda *a, **k: parsed.append(1))
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.mp4", b"\0" * (2 * 1024 * 1024), content_type="video/mp4")
    resp = alice_api.post("/api/v1/videos/", {"file": big}, format="multipart")
    assert resp.status_code == 413 and resp.json()["code"] == "too_large"
    assert parsed == []
    assert_nothing_left(alice)


def test_over_quota_is_413_with_the_numbers(alice, alice_api, make_video):
    s = user_settings_get(user=alice)
    s.quota_mb = 1
    s.save()
    resp = tus_create(alice_api, 2 * 1024 * 1024, filename="big.mp4")
    assert resp.status_code == 413
    assert resp.json() == {"detail": "Upload of 2.0 MB would exceed your quota of 1.0 MB (0.0 MB used).",
                           "code": "quota_exceeded"}
    assert_nothing_left(alice)


def test_quota_counts_uploads_in_progress(alice, alice_api):
    s = user_settings_get(user=alice)
    s.quota_mb = 3
    s.save()
    assert tus_create(alice_api, 2 * 1024 * 1024, filename="a.mp4").status_code == 201
    resp = tus_create(alice_api, 2 * 1024 * 1024, filename="b.mp4")
    assert resp.status_code == 413
    assert "(2.0 MB used)" in resp.json()["detail"]
    assert Upload.objects.count() == 1


def test_quota_counts_stored_videos(alice, alice_api, make_video, clips):
    video = make_video(alice)
    s = user_settings_get(user=alice)
    s.quota_mb = 1
    s.save()
    resp = tus_create(alice_api, 1024 * 1024 - video.size + 1, filename="a.mp4")
    assert resp.status_code == 413
    assert resp.json()["code"] == "quota_exceeded"


def test_a_hostile_non_ascii_name_is_accepted_safely(alice, alice_api, clips, settings):
    name = "../../../etc/passwd/..\\Ünïcødé 東京 vidéo.mp4"
    resp = tus_upload(alice_api, clips.av_mp4, name=name)
    assert resp.status_code == 204
    video = Video.objects.get(owner=alice)
    assert video.title == "Ünïcødé 東京 vidéo"
    assert video.original_name == "Ünïcødé 東京 vidéo.mp4"
    files = user_files(alice)
    root = settings.MEDIA_ROOT / f"u{alice.pk}"
    assert {p.parent.relative_to(root).as_posix() for p in files} == {"originals", "posters"}
    assert all(p.name.isascii() and ".." not in p.name for p in files)
    assert not list((settings.MEDIA_ROOT.parent).glob("passwd*"))


def test_a_hostile_name_through_multipart_is_accepted_safely(alice, alice_api, clips):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("../../x/ñame 名.mp4", clips.av_mp4.read_bytes(), content_type="video/mp4")
    resp = alice_api.post("/api/v1/videos/", {"file": upload}, format="multipart")
    assert resp.status_code == 201
    assert resp.json()["title"] == "ñame 名"
    assert all(".." not in str(p) for p in user_files(alice))
