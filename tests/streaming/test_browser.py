"""A person starts a stream from the Streams page, watches it go live and stops it (real portal, real RTMP)."""

import pytest
from playwright.sync_api import expect

from streaming.models import Stream
from tests.conftest import PASSWORD
from tests.streaming.conftest import KEY, custom_destination, make_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, portal, username):
    page.goto(f"{portal.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("who")).to_contain_text(username)


def test_start_watch_and_stop_a_stream(live_portal, page, alice, clips, receivers, portal_media_root, settings):
    rx = receivers()
    video = make_video(alice, clips.av_mp4, title="Sunset", media_root=portal_media_root)
    custom_destination(alice, rx.base, name="My server")
    _login(page, live_portal, "alice")

    page.get_by_role("link", name="Streams").click()
    page.select_option("#id_source", f"v{video.pk}")
    page.get_by_label("My server").check()
    page.get_by_label("Loop: repeat the file until I stop it").check()
    page.get_by_role("button", name="Start stream").click()
    expect(page.get_by_role("status").first).to_contain_text("Stream of “Sunset” is starting.")

    stream = Stream.objects.get(owner=alice)
    row = page.get_by_test_id(f"stream-{stream.pk}")
    # Live status over the websocket, with no reload: the badge turns "live", the destination too.
    expect(row.locator('[data-field="state"]')).to_have_text("live", timeout=30000)
    expect(row.locator('[data-field="destinations"]')).to_contain_text("My server: live")
    expect(row.locator('[data-field="elapsed"]')).not_to_have_text("0 s", timeout=10000)
    page.screenshot(path=str(settings.DATA_DIR / "streams-page.png"), full_page=True)

    row.get_by_role("button", name="Stop").click()
    row = page.get_by_test_id(f"stream-{stream.pk}")
    expect(row.locator('[data-field="state"]')).to_have_text("stopped", timeout=15000)
    assert KEY not in page.content()

    got = rx.finish()
    assert got.codecs == {"h264", "aac"} and got.duration > 0.5
    stream.refresh_from_db()
    assert stream.state == "stopped" and stream.mode == "copy"
    assert KEY not in live_portal.output()


def test_add_a_destination_from_settings(live_portal, page, alice):
    _login(page, live_portal, "alice")
    page.get_by_role("link", name="Settings").click()
    page.get_by_test_id("destinations-link").click()
    page.fill("#id_name", "Twitch main")
    page.select_option("#id_platform", "twitch")
    page.fill("#id_stream_key", KEY)
    page.get_by_role("button", name="Add destination").click()
    expect(page.get_by_role("status").first).to_contain_text("Destination “Twitch main” added.")
    expect(page.locator("#destinations")).to_contain_text("rtmps://live.twitch.tv:443/app")
    expect(page.locator("#destinations")).to_contain_text("set")
    assert KEY not in page.content()
