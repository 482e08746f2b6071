"""The value lists the OpenAPI schema publishes: each is defined once (checker, store) and
imported by the API; this pins what clients see, so moving a definition cannot change it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from runtime.root import Root
from runtime.settings import Settings

VERDICTS = ["supported", "contradicted", "unverifiable", "pending", "hit", "missed"]
STATES = ["fetching", "queued", "processing", "done", "failed"]
ROLES = ["reader", "submitter", "reviewer", "admin"]
REVIEW_STATUSES = ["open", "confirmed", "dismissed", "corrected"]
REASONS = [
    "wrong_subject", "wrong_metric", "wrong_period", "wrong_session", "not_a_claim",
    "bad_market_data", "other",
]  # fmt: skip
# (where in the spec, the enum it publishes)
ENUMS = [
    (("components", "ArticleAccepted", "state"), STATES),
    (("components", "ArticlePublic", "state"), STATES),
    (("components", "DiscrepancyPublic", "status"), REVIEW_STATUSES),
    (("components", "KeyCreate", "role"), ROLES),
    (("components", "ReviewCreate", "decision"), ["confirm", "dismiss", "correct"]),
    (("components", "ReviewCreate", "reason"), REASONS),
    (("components", "ReviewPublic", "reason"), REASONS),
    (("query", "/v1/claims", "verdict"), VERDICTS),
    (("query", "/v1/articles", "state"), STATES),
    (("query", "/v1/discrepancies", "status"), REVIEW_STATUSES),
]


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path: Path = tmp_path_factory.mktemp("openapi") / "api.db"
    return create_app(Root(Settings(database_url=f"sqlite:///{path}"))).openapi()


def enum_at(spec: dict[str, Any], where: tuple[str, str, str]) -> list[str]:
    """The enum of a model's property or a GET route's query parameter (nullable ones too)."""
    kind, owner, name = where
    if kind == "components":
        schema = spec["components"]["schemas"][owner]["properties"][name]
    else:
        parameters = spec["paths"][owner]["get"]["parameters"]
        schema = next(p["schema"] for p in parameters if p["name"] == name)
    for option in schema.get("anyOf", [schema]):
        if "enum" in option:
            return list(option["enum"])
    raise AssertionError(f"no enum at {where}")


@pytest.mark.parametrize(("where", "values"), ENUMS)
def test_openapi_enums_keep_their_values(
    spec: dict[str, Any], where: tuple[str, str, str], values: list[str]
) -> None:
    assert enum_at(spec, where) == values
