"""A new user in a real browser (Playwright + Debian's Chromium) against `manage.py serve`."""

import pytest
from playwright.sync_api import expect

from accounts.models import UserSettings
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_login_and_change_settings(live_portal, page, settings):
    page.goto(f"{live_portal.url}/")
    expect(page).to_have_url(f"{live_portal.url}/accounts/login/")
    page.get_by_role("link", name="Register").first.click()
    page.fill("#id_username", "frank")
    page.fill("#id_email", "frank@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status").first).to_contain_text("Welcome, frank")
    # The status socket connects over daphne: the dot in the nav turns green.
    expect(page.locator("#live.on")).to_have_count(1)

    page.get_by_role("button", name="Log out").click()
    page.fill("#id_username", "frank")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("who")).to_contain_text("frank")

    page.get_by_role("link", name="Settings").click()
    page.select_option("#id_default_preset", "hevc-1080p")
    page.check("#id_auto_encode")
    page.uncheck("#id_keep_original")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").first).to_contain_text("Settings saved.")
    expect(page.locator("#id_default_preset")).to_have_value("hevc-1080p")
    page.screenshot(path=str(settings.DATA_DIR / "settings-page.png"), full_page=True)

    row = UserSettings.objects.get(user__username="frank")
    assert (row.default_preset.slug, row.auto_encode, row.keep_original) == ("hevc-1080p", True, False)


def test_wrong_password_shows_an_error(live_portal, page, alice):
    page.goto(f"{live_portal.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert").first).to_contain_text("Please enter a correct username and password")
