"""The schema documents the one error body on every operation (mediaportal/api_schema.py)."""


def _schema(client) -> dict:
    return client.get("/api/schema/?format=json").json()


def test_every_operation_documents_the_error_body(anon_api):
    schema = _schema(anon_api)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "code"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
            assert "4XX" in responses, (method, path)


def test_only_authenticated_operations_document_401_and_id_paths_document_404(anon_api):
    paths = _schema(anon_api)["paths"]
    assert "401" not in paths["/api/v1/auth/token/"]["post"]["responses"]
    assert "401" in paths["/api/v1/me/"]["get"]["responses"]
    assert "404" in paths["/api/v1/videos/{video_id}/"]["patch"]["responses"]
    assert "404" not in paths["/api/v1/auth/register/"]["post"]["responses"]


def test_write_only_secrets_are_not_promised_in_responses(anon_api):
    schemas = _schema(anon_api)["components"]["schemas"]
    assert "stream_key" in schemas["DestinationRequest"]["properties"]
    assert "stream_key" not in schemas["Destination"]["properties"]
