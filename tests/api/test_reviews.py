"""Discrepancies and reviews: ranking, decisions with who/when/what, corrections, ClaimReview."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_support import NOW, TEXT, TestClient, auth, claim, fresh_postgres, make_client, seed
from sqlalchemy import Engine
from sqlmodel import Session

from checker import Check
from checker.evidence import Evidence
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from store import queries

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str | None]:
    """None (make_client's SQLite file) or a fresh PostgreSQL database's URL."""
    if kind == "sqlite":
        yield None
    else:
        with fresh_postgres() as url:
            yield url


def test_discrepancies_most_tolerances_off_first(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    page = client.get("/v1/discrepancies", headers=auth(keys["reader"])).json()
    # 10 tolerances off before 2, though its error in units (0.5) is the smaller one
    assert [(d["claim"]["id"], d["excess"], d["error"]) for d in page["items"]] == [
        (ids[1], 10.0, 0.5),
        (ids[0], 2.0, 5.0),
    ]
    first = client.get("/v1/discrepancies?limit=1", headers=auth(keys["reader"])).json()
    second = client.get(first["next"], headers=auth(keys["reader"])).json()
    assert [d["claim"]["id"] for d in second["items"]] == [ids[0]]


# Each contradicted claim's excess (None: a check stored before excesses were kept), in id order.
EXCESSES = [
    [2.0, None, 10.0, 2.0, 0.0, None],
    [None, None],
    [3.5, 3.5, 3.5],
    [0.25, 12.0, 0.5],
]


def _ranked(excesses: list[float | None]) -> list[int]:
    """Positions in the queue's order: excess descending, None last, then id."""
    return sorted(range(len(excesses)), key=lambda i: (excesses[i] is None, -(excesses[i] or 0), i))


def _seed_excesses(engine: Engine, excesses: list[float | None]) -> list[int]:
    claims = tuple(claim("SPY", 10.0 + i) for i in range(len(excesses)))
    checks = [
        Check("contradicted", computed=5.0, evidence=Evidence(decided=x is not None, excess=x))
        for x in excesses
    ]
    with Session(engine) as session, session.begin():
        article = ArticleIn(f"{len(excesses)} claims. {TEXT}", "Ranked", date(2025, 10, 8))
        queued = intake.enqueue(session, article, now=NOW, max_bytes=1_000_000)
        ids = queries.save_extraction(session, queued.article_id, Extraction(claims=claims))
        queries.save_checks(session, list(zip(ids, checks, strict=True)), now=NOW)
    return ids


def _page_through(client: TestClient, reader: dict[str, str]) -> list[dict[str, Any]]:
    items, url = [], "/v1/discrepancies?limit=1"
    while url:
        page = client.get(url, headers=reader).json()
        items += page["items"]
        url = page["next"]
    return items


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("excesses", EXCESSES)
def test_discrepancies_order_by_excess_across_pages(
    tmp_path: Path, kind: str, excesses: list[float | None]
) -> None:
    with database(kind, tmp_path) as url:
        client, engine, keys = make_client(tmp_path, url=url)
        ids = _seed_excesses(engine, excesses)
        items = _page_through(client, auth(keys["reader"]))
        assert [d["claim"]["id"] for d in items] == [ids[i] for i in _ranked(excesses)]
        assert [d["excess"] for d in items] == [excesses[i] for i in _ranked(excesses)]
        engine.dispose()
        client.app.state.services.reader.dispose()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("decision", "status"), [("confirm", "confirmed"), ("dismiss", "dismissed")]
)
def test_reviews_decision_moves_the_claim(tmp_path: Path, decision: str, status: str) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    body = {"decision": decision, "note": "looked at the chart", "reason": "wrong_period"}
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
    body = {
        "decision": "correct", "reason": "wrong_metric", "note": "the article said 5%",
        "correction": {"value": 5.0},
    }  # fmt: skip
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
    # the re-check's excess replaces the old one (2.0), in the column and in the evidence
    corrected = client.get("/v1/discrepancies?status=corrected", headers=auth(keys["reader"]))
    [item] = corrected.json()["items"]
    assert item["excess"] == item["claim"]["evidence"]["excess"] == 0.0


def test_reviews_wrong_corrections_stay_open(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    body = {"decision": "correct", "reason": "other", "correction": {"value": 20.0}}
    client.post(f"/v1/discrepancies/{ids[0]}/review", json=body, headers=auth(keys["reviewer"]))
    items = client.get("/v1/discrepancies", headers=auth(keys["reader"])).json()["items"]
    [item] = [d for d in items if d["claim"]["id"] == ids[0]]
    assert item["excess"] == item["claim"]["evidence"]["excess"] > 2.0  # 20 % against 5 %


REFUSED = [
    (2, {"decision": "confirm"}, 409),  # supported: not a discrepancy
    (0, {"decision": "correct", "reason": "other"}, 409),  # a correction without fields
    (0, {"decision": "dismiss"}, 422),  # a dismissal without a reason
    (0, {"decision": "dismiss", "reason": "looked odd"}, 422),  # not one of the reasons
    (0, {"decision": "approve"}, 422),
    (0, {"decision": "correct", "reason": "other", "correction": {"colour": "red"}}, 422),
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
