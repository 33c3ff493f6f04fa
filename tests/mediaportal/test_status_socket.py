"""/ws/status/ against the real ASGI application: routing, session and token auth included."""

import subprocess
import sys

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from mediaportal.asgi import application
from mediaportal.events import send_user_event

pytestmark = pytest.mark.django_db(transaction=True)


def _session_headers(user, origin: str = "http://127.0.0.1:8000"):
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), (b"origin", origin.encode())]


def _token_headers(user):
    token, _ = Token.objects.get_or_create(user=user)
    return [(b"authorization", f"Token {token.key}".encode())]


def run(coro_fn):
    return async_to_sync(coro_fn)()


def test_anonymous_is_refused():
    async def scenario():
        comm = WebsocketCommunicator(application, "/ws/status/", headers=[(b"origin", b"http://127.0.0.1:8000")])
        connected, _ = await comm.connect()
        await comm.disconnect()
        return connected

    assert run(scenario) is False


def test_bad_token_is_refused(alice):
    async def scenario():
        comm = WebsocketCommunicator(application, "/ws/status/", headers=[(b"authorization", b"Token nope")])
        connected, _ = await comm.connect()
        await comm.disconnect()
        return connected

    assert run(scenario) is False


def test_session_from_foreign_origin_is_refused(alice):
    headers = _session_headers(alice, origin="https://evil.example")

    async def scenario():
        comm = WebsocketCommunicator(application, "/ws/status/", headers=headers)
        connected, _ = await comm.connect()
        await comm.disconnect()
        return connected

    assert run(scenario) is False


def test_session_user_gets_own_events_and_not_others(alice, bob):
    alice_headers, bob_headers = _session_headers(alice), _token_headers(bob)

    async def scenario():
        a = WebsocketCommunicator(application, "/ws/status/", headers=alice_headers)
        b = WebsocketCommunicator(application, "/ws/status/", headers=bob_headers)
        assert (await a.connect())[0] and (await b.connect())[0]
        from mediaportal.events import asend_user_event

        await asend_user_event(alice.pk, "job", {"id": 1, "progress": 10})
        got = await a.receive_json_from(timeout=5)
        nothing_for_bob = await b.receive_nothing(timeout=0.6)
        await a.disconnect()
        await b.disconnect()
        return got, nothing_for_bob

    got, nothing_for_bob = run(scenario)
    assert got == {"event": "job", "data": {"id": 1, "progress": 10}}
    assert nothing_for_bob is True


def test_event_with_another_owner_is_dropped_even_in_my_group(alice, bob):
    headers = _token_headers(alice)

    async def scenario():
        comm = WebsocketCommunicator(application, "/ws/status/", headers=headers)
        assert (await comm.connect())[0]
        # A message addressed to alice's group but carrying bob's id: the consumer re-checks.
        from channels.layers import get_channel_layer

        await get_channel_layer().group_send(
            f"user.{alice.pk}", {"type": "status.event", "user_id": bob.pk, "event": "job", "data": {}}
        )
        silent = await comm.receive_nothing(timeout=0.6)
        await comm.disconnect()
        return silent

    assert run(scenario) is True


def test_ping_gets_pong(alice):
    headers = _token_headers(alice)

    async def scenario():
        comm = WebsocketCommunicator(application, "/ws/status/", headers=headers)
        assert (await comm.connect())[0]
        await comm.send_json_to({"type": "ping"})
        reply = await comm.receive_json_from(timeout=3)
        await comm.disconnect()
        return reply

    assert run(scenario) == {"event": "pong", "data": {}}


SENDER = """
import django, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediaportal.settings")
django.setup()
from mediaportal.events import send_user_event
send_user_event(int(sys.argv[1]), "job", {"from_pid": os.getpid()})
"""


def send_from_another_process(user_id: int) -> int:
    proc = subprocess.run([sys.executable, "-c", SENDER, str(user_id)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_event_from_a_separate_process_reaches_my_socket(alice, bob):
    """The embedded default's channel layer carries a worker process's event to the web process."""
    alice_headers, bob_headers = _token_headers(alice), _token_headers(bob)

    async def scenario():
        from asgiref.sync import sync_to_async

        a = WebsocketCommunicator(application, "/ws/status/", headers=alice_headers)
        b = WebsocketCommunicator(application, "/ws/status/", headers=bob_headers)
        assert (await a.connect())[0] and (await b.connect())[0]
        await sync_to_async(send_from_another_process, thread_sensitive=False)(alice.pk)
        got = await a.receive_json_from(timeout=5)
        silent = await b.receive_nothing(timeout=0.6)
        await a.disconnect()
        await b.disconnect()
        return got, silent

    got, silent = run(scenario)
    assert got["event"] == "job"
    import os

    assert got["data"]["from_pid"] != os.getpid()
    assert silent is True


def test_send_user_event_from_sync_code(alice):
    headers = _token_headers(alice)

    async def scenario():
        from asgiref.sync import sync_to_async

        comm = WebsocketCommunicator(application, "/ws/status/", headers=headers)
        assert (await comm.connect())[0]
        await sync_to_async(send_user_event, thread_sensitive=False)(alice.pk, "video", {"id": 7})
        got = await comm.receive_json_from(timeout=5)
        await comm.disconnect()
        return got

    assert run(scenario) == {"event": "video", "data": {"id": 7}}
