import pytest

pytestmark = pytest.mark.django_db


def test_unmatched_api_url_gets_the_json_error_body(alice_api):
    r = alice_api.get("/api/v1/no-such-thing/")
    assert r.status_code == 404
    assert r["Content-Type"] == "application/json"
    assert r.json() == {"detail": "Not found.", "code": "not_found"}


def test_unmatched_page_url_gets_html(client):
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    assert r["Content-Type"].startswith("text/html")


def test_api_server_error_is_json(rf):
    from mediaportal.http_errors import server_error

    r = server_error(rf.get("/api/v1/me/"))
    assert r.status_code == 500 and b'"code": "server_error"' in r.content
