"""Library pages: list with metadata, search and sort, rename, delete, watch page."""

import pytest

from library.models import Video
from tests.library.conftest import user_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_anonymous_is_sent_to_login(client):
    resp = client.get("/library/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_empty_library(alice_client):
    resp = alice_client.get("/library/")
    assert resp.status_code == 200
    assert "No videos yet" in resp.content.decode()


def test_list_shows_metadata_renditions_and_totals(alice, alice_client, make_video, make_rendition):
    video = make_video(alice, title="Beach day")
    make_rendition(video, "h264-480p")
    html = alice_client.get("/library/").content.decode()
    for text in ("Beach day", "0:02", "320×240", "h264 + aac", "h264-480p", f"/api/v1/videos/{video.pk}/poster/",
                 f"/library/{video.pk}/", 'data-testid="video-count">1<', "library/upload.js"):
        assert text in html


def test_search_and_sort(alice, alice_client, make_video):
    make_video(alice, title="Beach day")
    make_video(alice, title="City night")
    html = alice_client.get("/library/?q=night").content.decode()
    assert "City night" in html and "Beach day" not in html
    html = alice_client.get("/library/?sort=title").content.decode()
    assert html.index("Beach day") < html.index("City night")
    html = alice_client.get("/library/?q=zzz").content.decode()
    assert "No videos match" in html


def test_fragment_is_the_list_only(alice, alice_client, make_video):
    make_video(alice, title="Beach day")
    html = alice_client.get("/library/?fragment=1").content.decode()
    assert "Beach day" in html and "<html" not in html


def test_rename(alice, alice_client, make_video):
    video = make_video(alice, title="Old")
    resp = alice_client.post(f"/library/{video.pk}/rename/", {"title": "New"}, follow=True)
    assert "Renamed to “New”." in resp.content.decode()
    video.refresh_from_db()
    assert video.title == "New"


def test_rename_to_blank_is_refused(alice, alice_client, make_video):
    video = make_video(alice, title="Old")
    resp = alice_client.post(f"/library/{video.pk}/rename/", {"title": " "}, follow=True)
    assert "The title cannot be empty." in resp.content.decode()
    video.refresh_from_db()
    assert video.title == "Old"


def test_delete_removes_files(alice, alice_client, make_video, make_rendition, django_capture_on_commit_callbacks):
    video = make_video(alice, title="Gone soon")
    make_rendition(video)
    with django_capture_on_commit_callbacks(execute=True):
        resp = alice_client.post(f"/library/{video.pk}/delete/", follow=True)
    assert "Deleted “Gone soon”" in resp.content.decode()
    assert not Video.objects.exists() and user_files(alice) == []


def test_delete_needs_post(alice, alice_client, make_video):
    video = make_video(alice)
    assert alice_client.get(f"/library/{video.pk}/delete/").status_code == 405
    assert Video.objects.filter(pk=video.pk).exists()


def test_watch_page(alice, alice_client, make_video, make_rendition):
    video = make_video(alice, title="Watch me")
    make_rendition(video, "h264-480p")
    html = alice_client.get(f"/library/{video.pk}/").content.decode()
    assert f'src="/api/v1/videos/{video.pk}/download/?inline=1"' in html
    assert "Download original" in html and "Download h264-480p" in html and "Watch me" in html
