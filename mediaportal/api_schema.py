"""drf-spectacular post-processing: document the one error body on every operation.

drf-spectacular documents only the success response; every API view can also answer with the
error shape of mediaportal/api_errors.py, and a schema that leaves those out disagrees with the
server (schemathesis' status-code check says so). Used from SPECTACULAR_SETTINGS.
"""

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "A sentence for people."},
        "code": {"type": "string", "description": "A stable word for scripts (not_found, invalid, ...)."},
        "errors": {"type": "object", "additionalProperties": True,
                   "description": "Invalid input only: messages per field."},
    },
    "required": ["detail", "code"],
}
_REF = {"$ref": "#/components/schemas/Error"}


def _response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _REF}}}


def _is_public(operation: dict) -> bool:
    return {} in operation.get("security", [{}])


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.setdefault("400", _response("Invalid input: `errors` says which field and why."))
            if not _is_public(operation):
                responses.setdefault("401", _response("No or a refused token or session."))
            if "{" in path or method == "get":
                # Another user's object is a 404 too (never a 403); lists answer 404 for a page past the end.
                responses.setdefault("404", _response("No such object for this account, or no such page."))
            responses.setdefault("4XX", _response("Other refusals (conflict, throttled, too large...), same body."))
    return result
