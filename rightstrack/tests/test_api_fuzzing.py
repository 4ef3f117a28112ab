"""Schemathesis against the live OpenAPI schema: every operation, anonymous and with a
coordinator's token, must never answer 5xx and must answer what its schema declares."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# 48 operations x 2 callers x up to 12 examples: a little over 1,000 generated requests.
EXAMPLES_PER_OPERATION = 12
MINIMUM_CASES = 1000


def no_undeclared_server_error(ctx, response, case):
    """not_a_server_error, except for a 5xx the operation declares: that one is an answer,
    checked by its schema."""
    if str(response.status_code) in case.operation.definition.raw.get("responses", {}):
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [no_undeclared_server_error, response_schema_conformance]


@pytest.fixture
def api_schema(db):
    # The WSGI handler closes "old" database connections around each request, which would
    # close the test's transaction; Django's own test client turns that off the same way.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def run_every_operation(schema, headers):
    """Generated requests to every operation; the number of requests made."""
    made = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            nonlocal made
            made += 1
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
    return made


def test_it_answers_every_generated_request_as_its_schema_says(api_schema, api_token_for):
    coordinator = {"Authorization": f"Bearer {api_token_for('coordinator')}"}

    made = run_every_operation(api_schema, headers={})
    made += run_every_operation(api_schema, headers=coordinator)

    print(f"schemathesis: {made} generated requests")  # shown with pytest -s
    assert made >= MINIMUM_CASES
