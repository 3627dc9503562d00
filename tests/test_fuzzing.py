"""
Property-based fuzzing of the whole API against its own OpenAPI schema (schemathesis):
valid and invalid requests to every operation, with a valid key. No response may be a 5xx,
and every response must match the schema: status code, content type, headers and body.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks as openapi_checks

from recruitos.wsgi import application

EXAMPLES_PER_OPERATION = 110
MINIMUM_REQUESTS = 1000
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]
# Not checked: negative_data_rejection, which wants unknown query parameters refused; the API
# ignores them on purpose, as FastAPI does (a frontend may add cache-busting parameters).

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
sent = {"requests": 0}


@pytest.fixture
def keep_the_test_transaction():
    """Called as plain WSGI, Django would close the test's connection after each request (its test
    client turns this off the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_within_its_schema(case, api_key, keep_the_test_transaction):
    sent["requests"] += 1
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"}, checks=CHECKS)


def test_enough_requests_were_generated():
    assert sent["requests"] >= MINIMUM_REQUESTS, sent
