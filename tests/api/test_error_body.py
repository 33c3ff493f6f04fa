"""One error body everywhere: {"detail", "code"} with a code a script can switch on."""

import pytest


def test_an_unknown_token_is_401_with_the_error_body(db, anon_api):
    anon_api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = anon_api.get("/api/v1/videos/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_invalid_input_names_the_field(alice_api):
    response = alice_api.patch("/api/v1/me/", {"auto_encode": "perhaps"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "auto_encode" in body["errors"]


@pytest.mark.parametrize("path", ["/api/v1/videos/999999/", "/api/v1/jobs/999999/", "/api/v1/streams/999999/",
                                  "/api/v1/destinations/999999/", "/api/v1/renditions/999999/"])
def test_another_users_or_a_missing_object_is_404_not_found(alice_api, path):
    response = alice_api.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
