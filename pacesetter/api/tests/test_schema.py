"""The API keeps to its OpenAPI schema: schemathesis generates requests from the schema for
every operation and sends them in-process (through the WSGI app) as an admin and as a rep,
against the small org; no answer is a server error, and every answer is one the schema
declares (status code, content type, headers, body). Bounded: a few examples per operation,
derandomized, so it runs the same every time, well under a minute."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 4}  # per operation
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(api_org, settings, tmp_path):
    settings.API_RATE_LIMIT = 0  # the limit is tested on its own; here every answer counts
    settings.VAR_DIR = tmp_path  # uploads are staged in the test's own folder
    # As Django's test client does: the test's transaction stays open between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_schema_is_served_and_lists_every_endpoint(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Pacesetter API"
    assert {"/api/v1/goals", "/api/v1/goals/{goal_id}/target", "/api/v1/imports",
            "/api/v1/leaderboards", "/api/v1/sync-runs"} <= set(schema["paths"])  # fmt: skip
    assert {"TokenAuth", "BrowserSession"} <= set(schema["components"]["securitySchemes"])


@pytest.mark.parametrize("who", ["admin", "rep"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_no_answer_outside_the_schema(api_org, api_schema, who, mode):
    headers = {"Authorization": f"Bearer {api_org.tokens[who]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 17
    started = time.monotonic()
    answers: Counter[tuple[str, int]] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def keeps_to_the_schema(case):
            response = case.call(headers=headers)
            answers[case.operation.label, response.status_code] += 1
            case.validate_response(response, checks=CHECKS)

        keeps_to_the_schema()
    assert time.monotonic() - started < 60  # bounded: a few seconds when the machine is idle
    if mode == GenerationMode.NEGATIVE:  # invalid requests: the checks above are the test
        assert any(status == 422 for _label, status in answers)
        return
    served = {label for label, status in answers if status < 300}
    # every read is served to both; imports and sync runs are the admin's only
    assert {"GET /api/v1/goals", "GET /api/v1/progress", "GET /api/v1/people"} <= served
    assert ("GET /api/v1/sync-runs" in served) == (who == "admin")
    assert (answers["POST /api/v1/imports", 403] > 0) == (who == "rep")
