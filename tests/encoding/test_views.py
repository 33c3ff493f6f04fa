"""The Jobs page: login required, only my videos offered, presets listed."""

import pytest
from django.test import Client

from encoding.models import Preset
from tests.encoding.conftest import make_video

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login():
    r = Client().get("/jobs/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_page_offers_my_videos_and_active_presets_only(alice, bob, clips):
    make_video(alice, clips.av_mp4, title="alice-holiday")
    make_video(bob, clips.av_mp4, title="bob-secret")
    Preset.objects.filter(slug="legacy").update(is_active=False)
    html = _client(alice).get("/jobs/").content.decode()
    assert "alice-holiday" in html and "bob-secret" not in html
    assert 'value="hevc-1080p"' in html and 'value="legacy"' not in html
    assert "encoding/jobs.js" in html


def test_page_without_videos_points_to_the_library(bob):
    html = _client(bob).get("/jobs/").content.decode()
    assert "Upload a video" in html and 'id="new-job"' not in html
