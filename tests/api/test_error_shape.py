"""One error body everywhere: problem+json with type, title, status, detail; in the OpenAPI."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import auth, make_client

ERRORS = [
    ("GET", "/v1/claims", {}, None, 401),
    ("GET", "/v1/claims/999", {"role": "reader"}, None, 404),
    ("GET", "/v1/claims?limit=0", {"role": "reader"}, None, 422),
    ("GET", "/v1/claims?verdict=maybe", {"role": "reader"}, None, 422),
    ("GET", "/v1/nowhere", {"role": "reader"}, None, 404),
    ("DELETE", "/v1/claims", {"role": "reader"}, None, 405),
    ("POST", "/v1/feeds", {"role": "reader"}, {"url": "x"}, 403),
    ("POST", "/v1/feeds", {"role": "admin"}, {"url": "ftp://x"}, 422),
]


@pytest.mark.parametrize(("method", "path", "who", "body", "status"), ERRORS)
def test_error_shape_is_one_body(
    tmp_path: Path,
    method: str,
    path: str,
    who: dict[str, str],
    body: dict[str, str] | None,
    status: int,
) -> None:
    client, _, keys = make_client(tmp_path)
    headers = auth(keys[who["role"]]) if who else {}
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert problem["status"] == status
    assert problem["type"].startswith("/problems/")


def test_error_shape_is_in_the_openapi(tmp_path: Path) -> None:
    client, _, _ = make_client(tmp_path)
    spec = client.get("/openapi.json").json()
    assert set(spec["components"]["schemas"]["Problem"]["required"]) == {
        "type", "title", "status", "detail",
    }  # fmt: skip
    claims = spec["paths"]["/v1/claims"]["get"]["responses"]
    assert "application/problem+json" in claims["401"]["content"]
    assert client.get("/docs").status_code == 200
