"""`manage.py serve` as a user runs it: one command, web and workers, a clean stop."""

import json
import signal
import urllib.request

import pytest

from tests.live import Portal, processes_in_groups

pytestmark = pytest.mark.django_db(transaction=True)


def test_serve_runs_web_and_workers_and_stops_cleanly():
    portal = Portal()
    try:
        pids = portal.child_pids()
        assert set(pids) == {"web", "workers"}
        with urllib.request.urlopen(f"{portal.url}/accounts/login/", timeout=10) as r:
            assert r.status == 200 and b"Log in" in r.read()
        # DEBUG is off by default: static files must still be served (whitenoise).
        with urllib.request.urlopen(f"{portal.url}/static/mediaportal/portal.css", timeout=10) as r:
            assert r.status == 200 and b".topbar" in r.read()
        with urllib.request.urlopen(f"{portal.url}/api/schema/", timeout=10) as r:
            assert b"/api/v1/me/" in r.read()
        assert processes_in_groups(set(pids.values())), "web and worker processes should be running"
    finally:
        code = portal.stop()
    assert code == 0, portal.output()
    assert "mediaportal stopped." in portal.output()
    assert processes_in_groups(set(pids.values())) == []


def test_serve_stops_on_ctrl_c_too():
    portal = Portal("--no-workers")
    pids = portal.child_pids()
    portal.proc.send_signal(signal.SIGINT)
    assert portal.proc.wait(timeout=30) == 0
    portal.stop()
    assert processes_in_groups(set(pids.values())) == []


def test_api_over_daphne(live_portal, alice):
    req = urllib.request.Request(
        f"{live_portal.url}/api/v1/auth/token/", method="POST",
        data=json.dumps({"username": "alice", "password": "correct-horse-battery-9"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert len(json.loads(r.read())["token"]) == 40
