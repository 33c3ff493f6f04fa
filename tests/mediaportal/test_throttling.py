import pytest
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db


def test_anonymous_requests_are_throttled(anon_api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    # Open endpoints only: elsewhere an anonymous caller gets 401 before any throttle counts.
    codes = [anon_api.post("/api/v1/auth/token/", {"username": "x", "password": "y"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_users_are_throttled_per_user(alice_api, bob_api, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min", "anon": "100/min"})
    assert [alice_api.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    r = alice_api.get("/api/v1/me/")
    assert r.json()["code"] == "throttled" and "Retry-After" in r
    # bob has his own allowance
    assert bob_api.get("/api/v1/me/").status_code == 200
