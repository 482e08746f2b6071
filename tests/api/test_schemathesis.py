"""Schemathesis over the OpenAPI: generated requests to every operation never get a 5xx, and
every error answer is the one problem+json body."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import auth, make_client, seed
from hypothesis import HealthCheck, given, settings

# Examples per operation: 15 x ~25 operations run in about a minute on the shared 2-core machine.
EXAMPLES = 15


@pytest.mark.slow
def test_schemathesis_no_server_errors(tmp_path: Path) -> None:
    client, engine, issued = make_client(tmp_path)
    seed(engine)
    headers = auth(issued["admin"])  # admin may call every operation
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES, deadline=None, database=None,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def call(case: Any) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (case.method, case.path, response.text)
            if response.status_code >= 400:
                media = response.headers["content-type"][0]  # schemathesis lists header values
                assert media.startswith("application/problem+json"), (case.method, case.path)
                assert {"type", "title", "status", "detail"} <= set(response.json())

        call()
