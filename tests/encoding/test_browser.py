"""A person starts an encode on the Jobs page and watches its progress bar move to done, live."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from encoding.models import Job
from tests.conftest import PASSWORD
from tests.encoding.conftest import make_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_progress_bar_moves_to_done_without_a_reload(live_portal, page, settings, alice, bob, long_clip):
    settings.MEDIA_ROOT = Path(django_settings.DATA_DIR) / "media"  # where the portal's workers look
    make_video(alice, long_clip, title="Beach day")
    make_video(bob, long_clip, title="Bob's video")

    page.goto(f"{live_portal.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Jobs").click()
    expect(page.locator("#live.on")).to_have_count(1)
    expect(page.locator("#job-video option")).to_have_text(["Beach day"])  # never bob's

    page.evaluate("window.notReloaded = true")
    page.select_option("#job-preset", "hevc-1080p")
    page.get_by_role("button", name="Start encoding").click()
    row = page.locator("#jobs-table tbody tr").first
    expect(row).to_contain_text("Beach day")
    bar = row.get_by_role("progressbar")
    # Somewhere between start and end: the bar is seen moving, pushed over the status socket.
    page.wait_for_function(
        "() => { const b = document.querySelector('#jobs-table tbody tr [role=progressbar]');"
        " const v = Number(b && b.getAttribute('aria-valuenow')); return v > 0 && v < 100; }",
        timeout=60000,
    )
    expect(row.locator(".badge")).to_have_text("succeeded", timeout=120000)
    expect(bar).to_have_attribute("aria-valuenow", "100")
    assert page.evaluate("window.notReloaded") is True
    page.screenshot(path=str(Path(django_settings.DATA_DIR) / "jobs-page.png"), full_page=True)
    assert Job.objects.get(owner=alice).state == Job.State.SUCCEEDED
