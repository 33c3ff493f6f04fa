"""Fixtures shared by every test: alice (owner), bob (another user), an operator, API clients."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.services import user_register

PASSWORD = "correct-horse-battery-9"


def pytest_collection_modifyitems(config, items):
    # While Playwright's sync API is open, async_to_sync refuses to run in this thread: browser
    # tests go last so websocket tests never run inside that window.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttles count requests in the cache (a shared file cache here): without a reset, one
    test's requests would count against the next test's user or address."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _default_presets_after_flush(request):
    """Transactional tests end with a flush that empties every table, data migrations included;
    put the default presets back so each such test starts like a fresh installation."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    importlib.import_module("encoding.migrations.0002_default_presets").install(apps, None)


def _make_user(username: str, **extra):
    user = user_register(username=username, email=f"{username}@example.com", password=PASSWORD)
    for key, value in extra.items():
        setattr(user, key, value)
    if extra:
        user.save()
    return user


@pytest.fixture
def alice(db):
    return _make_user("alice")


@pytest.fixture
def bob(db):
    return _make_user("bob")


@pytest.fixture
def operator(db):
    return _make_user("operator", is_staff=True, is_superuser=True)


def _token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def alice_api(alice):
    return _token_client(alice)


@pytest.fixture
def bob_api(bob):
    return _token_client(bob)


@pytest.fixture
def anon_api():
    return APIClient()


@pytest.fixture(scope="session")
def live_portal(django_db_setup, django_db_blocker):
    """manage.py serve on a free port, sharing the test database; tests using it need
    `transactional_db` so what they write is committed where the server can see it."""
    from tests.live import Portal

    portal = Portal()
    yield portal
    portal.stop()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def chromium():
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while it is open (hence module
    # scope, and browser tests last); the ORM calls tests make between page steps are still
    # ordinary blocking calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


from tests.clips import Clips, clips, ffmpeg_bin  # noqa: E402,F401  (shared session fixtures)
