import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher

from accounts.models import UserSettings
from tests.conftest import PASSWORD

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_register_creates_user_with_hashed_password_and_token(anon_api):
    r = anon_api.post("/api/v1/auth/register/", {"username": "carol", "email": "carol@example.com", "password": PASSWORD})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["username"] == "carol" and body["token"]
    assert "password" not in body
    user = User.objects.get(username="carol")
    assert user.password != PASSWORD
    assert identify_hasher(user.password).algorithm in ("pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt")
    assert user.check_password(PASSWORD)
    # New users start with the site default preset and the safe original-keeping default.
    settings_row = UserSettings.objects.get(user=user)
    assert settings_row.default_preset.slug == "h264-720p"
    assert settings_row.keep_original is True and settings_row.auto_encode is False


def test_register_rejects_weak_password_with_reason(anon_api):
    r = anon_api.post("/api/v1/auth/register/", {"username": "dave", "email": "dave@example.com", "password": "12345678"})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid"
    assert "password" in body["errors"]
    assert "too common" in " ".join(body["errors"]["password"]) or "numeric" in " ".join(body["errors"]["password"])
    assert not User.objects.filter(username="dave").exists()


def test_register_rejects_taken_username_and_email(anon_api, alice):
    r = anon_api.post("/api/v1/auth/register/", {"username": "alice", "email": "x@example.com", "password": PASSWORD})
    assert r.status_code == 400 and "username" in r.json()["errors"]
    r = anon_api.post("/api/v1/auth/register/", {"username": "alice2", "email": "ALICE@example.com", "password": PASSWORD})
    assert r.status_code == 400 and "email" in r.json()["errors"]


def test_token_login_returns_a_working_token(anon_api, alice):
    r = anon_api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 200
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert anon_api.get("/api/v1/me/").json()["username"] == "alice"


def test_token_login_rejects_wrong_password(anon_api, alice):
    r = anon_api.post("/api/v1/auth/token/", {"username": "alice", "password": "nope"})
    assert r.status_code == 400
    assert r.json()["detail"] == "Unable to log in with those credentials."


def test_repeated_bad_logins_are_throttled(anon_api, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert anon_api.post("/api/v1/auth/token/", {"username": "alice", "password": "bad"}).status_code == 400
    locked = anon_api.post("/api/v1/auth/token/", {"username": "alice", "password": "bad"})
    assert locked.status_code == 429, locked.content
    assert locked.json()["code"] == "locked_out"
    # Even the right password is refused while locked.
    r = anon_api.post("/api/v1/auth/token/", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 429


def test_me_requires_authentication(anon_api):
    r = anon_api.get("/api/v1/me/")
    assert r.status_code == 401
    assert set(r.json()) == {"detail", "code"}


def test_me_shows_own_settings(alice_api):
    body = alice_api.get("/api/v1/me/").json()
    assert body == {
        "id": body["id"], "username": "alice", "email": "alice@example.com",
        "default_preset": "h264-720p", "auto_encode": False, "keep_original": True,
    }


def test_me_patch_updates_settings(alice_api, alice):
    r = alice_api.patch("/api/v1/me/", {"default_preset": "vp9-720p", "auto_encode": True, "keep_original": False}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["default_preset"] == "vp9-720p"
    row = UserSettings.objects.get(user=alice)
    assert (row.default_preset.slug, row.auto_encode, row.keep_original) == ("vp9-720p", True, False)


@pytest.mark.parametrize(
    "payload, field",
    [({"default_preset": "no-such-preset"}, "default_preset"), ({"auto_encode": "maybe"}, "auto_encode"),
     ({"email": "not-an-email"}, "email")],
)
def test_me_patch_refuses_invalid_values_with_message(alice_api, alice, payload, field):
    before = alice_api.get("/api/v1/me/").json()
    r = alice_api.patch("/api/v1/me/", payload, format="json")
    assert r.status_code == 400
    assert field in r.json()["errors"] and r.json()["detail"]
    assert alice_api.get("/api/v1/me/").json() == before


def test_me_patch_refuses_inactive_preset(alice_api):
    from encoding.models import Preset

    Preset.objects.filter(slug="legacy").update(is_active=False)
    r = alice_api.patch("/api/v1/me/", {"default_preset": "legacy"}, format="json")
    assert r.status_code == 400 and "default_preset" in r.json()["errors"]


def test_another_user_cannot_read_or_change_my_settings(alice_api, bob_api, alice, bob):
    bob_api.patch("/api/v1/me/", {"default_preset": "legacy", "keep_original": False}, format="json")
    mine = alice_api.get("/api/v1/me/").json()
    assert mine["default_preset"] == "h264-720p" and mine["keep_original"] is True
    theirs = bob_api.get("/api/v1/me/").json()
    assert theirs["username"] == "bob" and theirs["default_preset"] == "legacy"
    # No id-addressed settings endpoint exists to reach someone else's row.
    assert bob_api.get(f"/api/v1/users/{alice.pk}/").status_code == 404
