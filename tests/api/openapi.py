"""The API schema as schemathesis sees it, shared by the fuzzing and the happy-path checks."""

import json
from contextlib import contextmanager

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis import checks as st_checks

# tus keeps its protocol in headers OpenAPI cannot tie to behaviour: see test_schema's docstring.
EXCLUDED_PATHS = ("/api/v1/uploads/",)
CHECKS = [st_checks.not_a_server_error, st_checks.status_code_conformance, st_checks.content_type_conformance,
          st_checks.response_schema_conformance]


def schema_dict() -> dict:
    # Generated in-process (no HTTP, no database) so it can happen at collection time; the
    # served /api/schema/ is the same generator (test_schema checks it is served).
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def load_schema():
    raw = schema_dict()
    raw["paths"] = {p: ops for p, ops in raw["paths"].items() if not p.startswith(EXCLUDED_PATHS)}
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    return schema


@contextmanager
def keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request; the test client
    turns that off (and on again after each of its own requests) so the test's transaction
    survives: calls into the raw WSGI app need the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
