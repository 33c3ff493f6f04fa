"""Random inputs rarely get past validation, so the successful answers are checked here on
purpose: each main operation called with good input through the WSGI app, its response
validated against the schema (status, content type, body)."""

import pytest
from rest_framework.authtoken.models import Token

from tests.api.openapi import CHECKS, keep_the_test_connection, load_schema

schema = load_schema()
PASSWORD = "happy-path-password-42"


def call(method: str, path: str, token: str | None = None, expect: int = 200, **case_kwargs) -> dict | None:
    if "body" in case_kwargs:
        case_kwargs.setdefault("media_type", "application/json")
    case = schema[path][method].Case(**case_kwargs)
    headers = {"Authorization": f"Token {token}"} if token else {}
    with keep_the_test_connection():
        response = case.call_and_validate(headers=headers, checks=CHECKS)
    assert response.status_code == expect, response.text
    return response.json() if response.content else None


@pytest.fixture
def token(alice):
    return Token.objects.get_or_create(user=alice)[0].key


def test_register(db):
    call("POST", "/api/v1/auth/register/", expect=201,
         body={"username": "henry", "email": "henry@example.com", "password": PASSWORD})


def test_token(alice):
    from tests.conftest import PASSWORD as ALICE_PASSWORD

    call("POST", "/api/v1/auth/token/", body={"username": "alice", "password": ALICE_PASSWORD})


def test_me(token):
    call("GET", "/api/v1/me/", token)
    call("PATCH", "/api/v1/me/", token, body={"default_preset": "h264-480p", "auto_encode": True})


def test_library_and_jobs(token, clips):
    video = call("POST", "/api/v1/videos/", token, expect=201, media_type="multipart/form-data",
                 body={"file": clips.av_mp4.read_bytes(), "title": "happy"})
    vid = {"video_id": video["id"]}
    call("GET", "/api/v1/videos/", token, query={"search": "happy", "ordering": "-created"})
    call("GET", "/api/v1/videos/{video_id}/", token, path_parameters=vid)
    call("PATCH", "/api/v1/videos/{video_id}/", token, path_parameters=vid, body={"title": "renamed"})
    call("GET", "/api/v1/presets/", token)
    job = call("POST", "/api/v1/jobs/", token, expect=201, body={"video": video["id"], "preset": "h264-480p"})
    jid = {"job_id": job["id"]}
    call("GET", "/api/v1/jobs/", token, query={"state": "queued", "video": video["id"]})
    call("GET", "/api/v1/jobs/{job_id}/", token, path_parameters=jid)
    call("POST", "/api/v1/jobs/{job_id}/cancel/", token, path_parameters=jid)
    call("POST", "/api/v1/jobs/{job_id}/retry/", token, expect=201, path_parameters=jid)
    call("DELETE", "/api/v1/videos/{video_id}/", token, expect=204, path_parameters=vid)


def test_destinations_and_streams(token, clips, alice_api):
    with open(clips.av_mp4, "rb") as fh:
        video = alice_api.post("/api/v1/videos/", {"file": fh}, format="multipart").json()
    dest = call("POST", "/api/v1/destinations/", token, expect=201,
                body={"name": "local", "platform": "custom", "url": "rtmp://127.0.0.1:1935/app",
                      "stream_key": "happy-key"})
    did = {"id": dest["id"]}
    call("GET", "/api/v1/destinations/", token)
    call("GET", "/api/v1/destinations/{id}/", token, path_parameters=did)
    call("PATCH", "/api/v1/destinations/{id}/", token, path_parameters=did, body={"name": "renamed"})
    # No worker runs here (the test's transaction never commits): the stream stays "starting".
    stream = call("POST", "/api/v1/streams/", token, expect=201,
                  body={"video": video["id"], "destinations": [dest["id"]], "loop": False})
    sid = {"id": stream["id"]}
    call("GET", "/api/v1/streams/", token)
    call("GET", "/api/v1/streams/{id}/", token, path_parameters=sid)
    call("POST", "/api/v1/streams/{id}/stop/", token, path_parameters=sid)
    call("DELETE", "/api/v1/destinations/{id}/", token, expect=204, path_parameters=did)
