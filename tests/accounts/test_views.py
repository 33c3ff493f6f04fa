import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import UserSettings
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_register_page_creates_account_and_logs_in(client):
    r = client.post("/accounts/register/", {"username": "erin", "email": "erin@example.com",
                                            "password1": PASSWORD, "password2": PASSWORD}, follow=True)
    assert r.status_code == 200
    assert r.context["user"].username == "erin"
    assert b"Welcome, erin" in r.content


def test_register_page_shows_password_errors(client):
    r = client.post("/accounts/register/", {"username": "erin", "email": "erin@example.com",
                                            "password1": "abc", "password2": "abc"})
    assert r.status_code == 200
    assert b"This password is too short" in r.content
    assert not get_user_model().objects.filter(username="erin").exists()


def test_login_and_logout(client, alice):
    r = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    assert r.context["user"].is_authenticated
    client.post("/accounts/logout/")
    assert client.get("/settings/").status_code == 302


def test_browser_logins_are_throttled(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    r = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 429
    assert b"Too many failed logins" in r.content


def test_forms_require_csrf(alice):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 403
    strict.force_login(alice)
    assert strict.post("/settings/", {"default_preset": "legacy"}).status_code == 403


def test_settings_page_saves_valid_settings(client, alice):
    client.force_login(alice)
    r = client.post("/settings/", {"default_preset": "hevc-1080p", "auto_encode": "on"}, follow=True)
    assert b"Settings saved." in r.content
    row = UserSettings.objects.get(user=alice)
    assert row.default_preset.slug == "hevc-1080p" and row.auto_encode and not row.keep_original


def test_settings_page_refuses_unknown_preset_with_message(client, alice):
    client.force_login(alice)
    r = client.post("/settings/", {"default_preset": "made-up", "keep_original": "on"})
    assert r.status_code == 200
    assert b"Settings not saved" in r.content
    assert b"Select a valid choice" in r.content
    assert UserSettings.objects.get(user=alice).default_preset.slug == "h264-720p"


def test_settings_page_shows_only_my_settings(client, alice, bob):
    UserSettings.objects.filter(user=bob).update(auto_encode=True)
    client.force_login(alice)
    r = client.get("/settings/")
    assert r.context["form"].instance.user == alice
    assert r.context["form"].initial["auto_encode"] is False


def test_password_change(client, alice):
    client.force_login(alice)
    r = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "another-long-pass-42",
                                            "new_password2": "another-long-pass-42"}, follow=True)
    assert b"Your password was changed" in r.content
    alice.refresh_from_db()
    assert alice.check_password("another-long-pass-42")


@pytest.mark.parametrize("url", ["/library/", "/jobs/", "/streams/", "/settings/"])
def test_pages_need_login(client, url):
    r = client.get(url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_admin_link_only_for_staff(client, alice, operator):
    client.force_login(alice)
    assert b'href="/admin/"' not in client.get("/settings/").content
    client.force_login(operator)
    assert b'href="/admin/"' in client.get("/settings/").content
    assert client.get("/admin/accounts/usersettings/").status_code == 200
    assert client.get("/admin/django_q/ormq/").status_code == 200


def test_settings_page_preselects_my_current_preset(client, alice):
    client.force_login(alice)
    client.post("/settings/", {"default_preset": "vp9-720p", "keep_original": "on"})
    html = client.get("/settings/").content.decode()
    assert '<option value="vp9-720p" selected>' in html
