"""Bob walks every library page, API, download, poster and tus endpoint on alice's objects: 404."""

import pytest
from django.test import Client

from library.models import Rendition, Upload, Video
from tests.library.conftest import TUS, tus_create, tus_patch

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices(alice, alice_api, make_video, make_rendition):
    video = make_video(alice, title="Alice private")
    rendition = make_rendition(video)
    url = tus_create(alice_api, 1000, filename="a.mp4")["Location"]
    tus_patch(alice_api, url, 0, b"x" * 10)
    return video, rendition, url


def test_api_endpoints_are_404_for_bob(bob_api, alices):
    video, rendition, _ = alices
    for url in (f"/api/v1/videos/{video.pk}/", f"/api/v1/videos/{video.pk}/download/",
                f"/api/v1/videos/{video.pk}/download/?variant=original",
                f"/api/v1/videos/{video.pk}/download/?preset=h264-720p", f"/api/v1/videos/{video.pk}/poster/",
                f"/api/v1/renditions/{rendition.pk}/", f"/api/v1/renditions/{rendition.pk}/download/"):
        resp = bob_api.get(url)
        assert resp.status_code == 404, url
        assert "Alice" not in resp.content.decode()
    assert bob_api.patch(f"/api/v1/videos/{video.pk}/", {"title": "pwned"}, format="json").status_code == 404
    assert bob_api.delete(f"/api/v1/videos/{video.pk}/").status_code == 404
    assert bob_api.delete(f"/api/v1/renditions/{rendition.pk}/").status_code == 404
    assert bob_api.get("/api/v1/videos/").json()["count"] == 0
    assert bob_api.get("/api/v1/videos/?search=Alice").json()["count"] == 0
    video.refresh_from_db()
    assert video.title == "Alice private" and Rendition.objects.filter(pk=rendition.pk).exists()


def test_tus_endpoints_are_404_for_bob(bob_api, alices):
    _, _, url = alices
    assert bob_api.head(url, **TUS).status_code == 404
    assert tus_patch(bob_api, url, 10, b"y" * 10).status_code == 404
    assert bob_api.delete(url, **TUS).status_code == 404
    upload = Upload.objects.get()
    assert upload.offset == 10


def test_pages_are_404_for_bob(client, bob, alices):
    video, _, _ = alices
    client.force_login(bob)
    assert client.get(f"/library/{video.pk}/").status_code == 404
    assert client.post(f"/library/{video.pk}/rename/", {"title": "x"}).status_code == 404
    assert client.post(f"/library/{video.pk}/delete/").status_code == 404
    for path in ("/library/", "/library/?fragment=1", "/library/?q=Alice"):
        assert "Alice private" not in client.get(path).content.decode()
    assert Video.objects.get(pk=video.pk).title == "Alice private"


def test_session_downloads_are_404_for_bob(bob, alices):
    video, rendition, _ = alices
    client = Client()
    client.force_login(bob)
    for url in (f"/api/v1/videos/{video.pk}/download/?inline=1", f"/api/v1/renditions/{rendition.pk}/download/",
                f"/api/v1/videos/{video.pk}/poster/"):
        assert client.get(url).status_code == 404


def test_a_bad_token_is_not_alice(alices):
    video, _, _ = alices
    resp = Client().get(f"/api/v1/videos/{video.pk}/download/", HTTP_AUTHORIZATION="Token nope")
    assert resp.status_code == 401


def test_video_events_go_to_the_owner_only(alice, bob, clips, alice_api, monkeypatch,
                                           django_capture_on_commit_callbacks):
    from tests.library.conftest import tus_upload

    sent = []
    monkeypatch.setattr("library.services.send_user_event", lambda uid, kind, data: sent.append((uid, kind, data)))
    with django_capture_on_commit_callbacks(execute=True):
        tus_upload(alice_api, clips.av_mp4)
    assert sent and {uid for uid, _, _ in sent} == {alice.pk}
    assert sent[0][2]["action"] == "created"
