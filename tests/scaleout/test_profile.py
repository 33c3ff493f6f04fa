"""The scale-out profile: PostgreSQL for data, Redis for the task broker, cache and channel layer.

Run by scripts/test-scaleout.sh (part of `make test`) with DATABASE_URL and REDIS_URL set.
"""

import os
import subprocess
import sys

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection

from tests.mediaportal.test_status_socket import _token_headers, send_from_another_process

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(not os.environ.get("MEDIAPORTAL_SCALEOUT_TESTS"),
                       reason="scale-out profile: run through scripts/test-scaleout.sh (make test)"),
    pytest.mark.django_db(transaction=True),
]


def test_profile_uses_postgresql_and_redis():
    assert connection.vendor == "postgresql"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert settings.Q_CLUSTER["redis"] == settings.REDIS_URL and "orm" not in settings.Q_CLUSTER
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]


def test_register_and_settings_on_postgresql(anon_api):
    r = anon_api.post("/api/v1/auth/register/", {"username": "pg-user", "email": "pg@example.com",
                                                  "password": "correct-horse-battery-9"})
    assert r.status_code == 201, r.content
    anon_api.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert anon_api.patch("/api/v1/me/", {"default_preset": "av1-720p"}, format="json").json()["default_preset"] == "av1-720p"


def test_event_from_another_process_crosses_redis(alice, bob):
    from mediaportal.asgi import application

    alice_headers, bob_headers = _token_headers(alice), _token_headers(bob)

    async def scenario():
        a = WebsocketCommunicator(application, "/ws/status/", headers=alice_headers)
        b = WebsocketCommunicator(application, "/ws/status/", headers=bob_headers)
        assert (await a.connect())[0] and (await b.connect())[0]
        await sync_to_async(send_from_another_process, thread_sensitive=False)(alice.pk)
        got = await a.receive_json_from(timeout=5)
        silent = await b.receive_nothing(timeout=0.6)
        await a.disconnect()
        await b.disconnect()
        return got, silent

    got, silent = async_to_sync(scenario)()
    assert got["event"] == "job" and got["data"]["from_pid"] != os.getpid()
    assert silent is True


def test_a_real_cluster_runs_a_task_through_redis():
    from django_q.brokers import get_broker
    from django_q.tasks import async_task, result

    from tests.live import portal_env

    assert type(get_broker()).__name__ == "Redis"
    env = portal_env()
    cluster = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        task_id = async_task("math.hypot", 3, 4)
        assert result(task_id, wait=30000) == 5.0
    finally:
        cluster.terminate()
        cluster.wait(timeout=30)
