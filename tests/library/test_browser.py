"""Uploading through the library page in a real browser, and watching the result."""

import re

import pytest
from playwright.sync_api import expect

from library.models import Upload, Video
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("who")).to_contain_text(username)


def test_upload_through_the_page_then_watch(live_portal, page, alice, clips, settings):
    login(page, live_portal.url, "alice")
    page.goto(f"{live_portal.url}/library/")
    expect(page.locator("#no-videos")).to_be_visible()
    page.set_input_files("#file-input", [str(clips.av_mp4), str(clips.audio_m4a)])
    stats = page.locator("#upload-list .stats")
    expect(stats).to_have_count(2)
    expect(stats.nth(0)).to_contain_text("100 %", timeout=30000)
    expect(stats.nth(1)).to_contain_text("100 %", timeout=30000)
    # The list refreshes by itself: no reload.
    expect(page.locator(".video-row")).to_have_count(2, timeout=15000)
    expect(page.get_by_role("link", name="av", exact=True)).to_be_visible()
    expect(page.get_by_test_id("video-count")).to_have_text("2")
    page.screenshot(path=str(settings.DATA_DIR / "library-page.png"), full_page=True)

    video = Video.objects.get(owner=alice, title="av")
    page.get_by_role("link", name="av", exact=True).click()
    expect(page).to_have_url(f"{live_portal.url}/library/{video.pk}/")
    page.evaluate("() => { const p = document.getElementById('player'); p.muted = true; return p.play(); }")
    page.wait_for_function("() => document.getElementById('player').currentTime > 0.5", timeout=15000)
    # Seeking works because the download view answers Range requests.
    page.evaluate("() => { document.getElementById('player').currentTime = 0.2; }")
    page.wait_for_function("() => !document.getElementById('player').seeking", timeout=10000)
    page.screenshot(path=str(settings.DATA_DIR / "watch-page.png"), full_page=True)


def test_a_dropped_connection_and_a_reload_resume(live_portal, page, alice, clips):
    login(page, live_portal.url, "alice")
    page.goto(f"{live_portal.url}/library/")
    page.evaluate("() => { window.MP_UPLOAD_CHUNK = 16 * 1024; }")
    patches = {"n": 0}

    def cut_after_two(route):
        patches["n"] += 1
        if patches["n"] <= 2:
            route.continue_()
        else:
            route.abort("connectionreset")

    page.route(re.compile(r".*/api/v1/uploads/[0-9a-f-]+/$"), lambda route: cut_after_two(route)
               if route.request.method == "PATCH" else route.continue_())
    page.set_input_files("#file-input", str(clips.av_mp4))
    expect(page.locator("#upload-list .stats")).to_contain_text("retrying", timeout=15000)
    upload = Upload.objects.get(owner=alice)
    assert upload.offset == 2 * 16 * 1024

    # The user reloads the page and picks the same file: it goes on from where the server stopped.
    page.unroute_all()
    page.reload()
    paused = page.locator("#upload-list li.unfinished")
    expect(paused).to_contain_text("av.mp4")
    expect(paused).to_contain_text("choose the same file again to resume")
    page.evaluate("() => { window.MP_UPLOAD_CHUNK = 16 * 1024; }")
    offsets = []
    page.on("request", lambda req: req.method == "PATCH" and offsets.append(int(req.headers["upload-offset"])))
    page.set_input_files("#file-input", str(clips.av_mp4))
    expect(page.locator("#upload-list .stats")).to_contain_text("100 %", timeout=30000)
    assert offsets[0] == 2 * 16 * 1024
    expect(paused).to_have_count(0)
    expect(page.locator(".video-row")).to_have_count(1, timeout=15000)
    assert Upload.objects.get(pk=upload.pk).completed
    assert Video.objects.get(owner=alice).size == clips.av_mp4.stat().st_size


def test_a_refused_file_shows_the_reason(live_portal, page, alice, clips):
    login(page, live_portal.url, "alice")
    page.goto(f"{live_portal.url}/library/")
    page.set_input_files("#file-input", str(clips.png))
    expect(page.locator("#upload-list [role=alert]")).to_contain_text("not a video or audio file", timeout=15000)
    assert not Video.objects.exists() and not Upload.objects.exists()


def test_encode_from_the_library_shows_the_new_rendition(live_portal, page, alice, clips):
    import requests

    login(page, live_portal.url, "alice")
    page.goto(f"{live_portal.url}/library/")
    if requests.get(f"{live_portal.url}/api/v1/jobs/", timeout=10).status_code == 404:
        pytest.skip("no /api/v1/jobs/ yet")
    page.set_input_files("#file-input", str(clips.av_mp4))
    row = page.locator(".video-row")
    expect(row).to_have_count(1, timeout=15000)
    row.locator(".encode-form select").select_option("h264-480p")
    row.locator(".encode-form button").click()
    expect(row.locator(".encode-msg")).to_have_text("Queued.")
    # Job events over the status socket refresh the row once the rendition exists.
    expect(page.locator(".video-row a.badge", has_text="h264-480p")).to_be_visible(timeout=90000)


JOB_SENDER = """
import django, json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediaportal.settings")
django.setup()
from mediaportal.events import send_user_event
send_user_event(int(sys.argv[1]), "job", json.loads(sys.argv[2]))
"""


def test_job_progress_shows_on_the_video_row(live_portal, page, alice, make_video):
    """A worker's job event (sent from another process, as workers do) moves the row's progress bar."""
    import json
    import subprocess
    import sys

    video = make_video(alice, title="Being encoded")
    login(page, live_portal.url, "alice")
    page.goto(f"{live_portal.url}/library/")
    expect(page.locator("#live.on")).to_have_count(1)
    event = {"id": 99, "video": video.pk, "preset": "h264-480p", "state": "running", "progress": 42.0, "fps": 50,
             "speed": 2.0, "eta": 65, "error": "", "rendition": None, "queue_position": None}
    subprocess.run([sys.executable, "-c", JOB_SENDER, str(alice.pk), json.dumps(event)], check=True, timeout=60)
    row = page.locator(f'.video-row[data-video-id="{video.pk}"]')
    expect(row.locator(".job-text")).to_have_text("h264-480p: running 42 % · ETA 1:05")
    assert row.locator(".job-progress .bar").evaluate("el => el.style.width") == "42%"


def test_encode_error_shows_the_api_message(live_portal, page, alice, make_video):
    import requests

    from encoding.models import Preset

    if requests.get(f"{live_portal.url}/api/v1/jobs/", timeout=10).status_code == 404:
        pytest.skip("no /api/v1/jobs/ yet")
    make_video(alice, title="Clip")
    login(page, live_portal.url, "alice")
    page.goto(f"{live_portal.url}/library/")
    row = page.locator(".video-row")
    row.locator(".encode-form select").select_option("vp9-720p")
    Preset.objects.filter(slug="vp9-720p").update(is_active=False)  # an operator retires it meanwhile
    row.locator(".encode-form button").click()
    expect(row.locator(".encode-msg.error-text")).to_contain_text("Unknown or inactive preset: 'vp9-720p'.")
