"""Discrepancies and reviews: ranking, decisions with who/when/what, corrections, ClaimReview."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import auth, make_client, seed


def test_discrepancies_largest_error_first(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    page = client.get("/v1/discrepancies", headers=auth(keys["reader"])).json()
    assert [(d["claim"]["id"], d["error"]) for d in page["items"]] == [(ids[0], 5.0), (ids[1], 0.5)]
    first = client.get("/v1/discrepancies?limit=1", headers=auth(keys["reader"])).json()
    second = client.get(first["next"], headers=auth(keys["reader"])).json()
    assert [d["claim"]["id"] for d in second["items"]] == [ids[1]]


@pytest.mark.parametrize(
    ("decision", "status"), [("confirm", "confirmed"), ("dismiss", "dismissed")]
)
def test_reviews_decision_moves_the_claim(tmp_path: Path, decision: str, status: str) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    body = {"decision": decision, "note": "looked at the chart"}
    made = client.post(
        f"/v1/discrepancies/{ids[0]}/review", json=body, headers=auth(keys["reviewer"])
    )
    assert made.status_code == 201, made.text
    assert made.json()["decision"] == status
    assert made.json()["reviewer"].startswith("nc_")
    reader = auth(keys["reader"])
    open_ids = [
        d["claim"]["id"] for d in client.get("/v1/discrepancies", headers=reader).json()["items"]
    ]
    assert open_ids == [ids[1]]
    decided = client.get(f"/v1/discrepancies?status={status}", headers=reader).json()["items"]
    assert [d["claim"]["id"] for d in decided] == [ids[0]]
    history = client.get(f"/v1/claims/{ids[0]}/reviews", headers=reader).json()
    assert [(h["decision"], h["note"]) for h in history] == [(status, "looked at the chart")]
    ld = client.get(f"/v1/claims/{ids[0]}/claimreview", headers=reader).json()
    assert ld["@type"] == "ClaimReview"
    assert ld["reviewRating"]["ratingValue"] == (1 if decision == "confirm" else 3)


def test_reviews_correction_rechecks_the_claim(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    body = {"decision": "correct", "note": "the article said 5%", "correction": {"value": 5.0}}
    made = client.post(
        f"/v1/discrepancies/{ids[0]}/review", json=body, headers=auth(keys["reviewer"])
    )
    assert made.status_code == 201, made.text
    assert (made.json()["verdict_before"], made.json()["verdict_after"]) == (
        "contradicted", "supported",
    )  # fmt: skip
    claim = client.get(f"/v1/claims/{ids[0]}", headers=auth(keys["reader"])).json()
    assert (claim["value"], claim["verdict"], claim["review_status"]) == (
        5.0,
        "supported",
        "corrected",
    )
    ld = client.get(f"/v1/claims/{ids[0]}/claimreview", headers=auth(keys["reader"])).json()
    assert ld["reviewRating"]["alternateName"] == "True"


def test_reviews_wrong_corrections_stay_open(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    body = {"decision": "correct", "correction": {"value": 20.0}}
    client.post(f"/v1/discrepancies/{ids[0]}/review", json=body, headers=auth(keys["reviewer"]))
    items = client.get("/v1/discrepancies", headers=auth(keys["reader"])).json()["items"]
    assert ids[0] in [d["claim"]["id"] for d in items]


REFUSED = [
    (2, {"decision": "confirm"}, 409),  # supported: not a discrepancy
    (0, {"decision": "correct"}, 409),  # a correction without fields
    (0, {"decision": "approve"}, 422),
    (0, {"decision": "correct", "correction": {"colour": "red"}}, 422),
]


@pytest.mark.parametrize(("which", "body", "status"), REFUSED)
def test_reviews_refused(tmp_path: Path, which: int, body: dict[str, object], status: int) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    response = client.post(
        f"/v1/discrepancies/{ids[which]}/review", json=body, headers=auth(keys["reviewer"])
    )
    assert response.status_code == status, response.text
    missing = client.post("/v1/discrepancies/999/review", json=body, headers=auth(keys["reviewer"]))
    assert missing.status_code in (404, 422)


def test_reviews_claimreview_needs_a_review(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    assert (
        client.get(f"/v1/claims/{ids[0]}/claimreview", headers=auth(keys["reader"])).status_code
        == 404
    )
