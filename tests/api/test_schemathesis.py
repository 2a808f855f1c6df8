"""The staff API against its own schema: schemathesis reads ``/api/schema/`` from a live
server and calls every operation with generated input, valid and invalid. No answer may
be a 5xx, and every answer must match what the schema documents for it (status code,
body and headers).

Each operation runs as its own Hypothesis test, in both generation modes, and every
failure is reported at the end, so one run names all the operations that disagree with
the schema. (schemathesis' pytest plugin does not run under pytest 9.2, hence the loop.)
Not checked: that valid input is accepted and invalid input refused, which needs data
the generator cannot know (an id that exists, a client's own project)."""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from snagdesk_server.accounts.models import User
from snagdesk_server.accounts.services import api_token_create

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Examples per operation and mode: bounded, so the run stays under a minute on 2 cores.
EXAMPLES = 15


@pytest.fixture
def staff_token(staff_user: User, settings) -> str:
    # Every request counts against one user's rate: lift it, or most answers are 429.
    rates = {"user": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    return api_token_create(user=staff_user, name="schemathesis").key


def _operation_failures(operation, *, mode: GenerationMode, headers: dict[str, str]) -> str:
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except (Failure, FailureGroup) as failures:
        return f"{operation.label} ({mode.value}):\n{failures}"
    return ""


def test_every_operation_answers_as_its_schema_says(live_server, staff_token: str) -> None:
    headers = {"Authorization": f"Bearer {staff_token}"}
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/", headers=headers, timeout=30
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20

    failures = [
        failure
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (failure := _operation_failures(operation, mode=mode, headers=headers))
    ]

    assert not failures, "\n\n".join(failures)
