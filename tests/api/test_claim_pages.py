"""GET /v1/claims pages come from JSON stored with each row (store/rows.py, store/claim_pages.py):
every item must equal GET /v1/claims/{id}, which builds the same claim through pydantic, on both
databases, after inserts, re-checks and corrections."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_support import NOW, TEXT, TestClient, auth, fresh_postgres, make_client
from sqlalchemy import Engine, null, update
from sqlmodel import Session

from checker import Check
from checker.evidence import Alternative, Evidence
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Basis, Claim
from store import queries, rows
from store.tables import ClaimRow

HOSTILE = 'He said "up 3%"\n\t<b>\\ café ☃ \u2028 </b>'
CLOCK = Basis(subject="sentence", period="clock", session="clock")
CLAIMS = (
    Claim("SPY", "price_return", 0.1, "percent", "historical", TEXT[:23], (9, 12),
          approx=True, bound="at_least", start=date(2024, 12, 31), end=date(2025, 10, 8)),
    Claim("AAPL", "price_return", -14.850000000000001, "percent", "historical", HOSTILE, (0, 2),
          session="intraday", end=date(2025, 10, 7), basis=CLOCK),
    Claim("^GSPC", "level", None, "points", "forecast", "between 6,000 and 7,000", (8, 13),
          low=6000.0, high=7000.0, end=date(2026, 10, 8)),
    Claim("MSFT", "price_return", 1e21, "percent", "hypothetical", "MSFT up a lot", (3, 5)),
)  # fmt: skip
CHECKS = (
    Check("supported", computed=0.30000000000000004, evidence=Evidence(
        rule="return", computed={"close": 0.30000000000000004}, day_range=(1.5, -0.0),
        alternative=Alternative("week_to_date", None, date(2025, 10, 8), 1e21))),
    Check("contradicted", computed=-3.0,
          evidence=Evidence(note=HOSTILE, decided=True, excess=47.44)),
    Check("pending"),
)  # fmt: skip
# The fourth claim gets no check row at all: an unchecked claim.


def _seed(engine: Engine) -> list[int]:
    extraction = Extraction(tickers=(), figures=(), quotes=(), claims=CLAIMS)
    with Session(engine) as session, session.begin():
        article = ArticleIn(TEXT, "Pages", date(2025, 10, 8), "wire", "https://example.com/p")
        queued = intake.enqueue(session, article, now=NOW, max_bytes=1_000_000)
        ids = queries.save_extraction(session, queued.article_id, extraction)
        queries.save_checks(session, list(zip(ids, CHECKS, strict=False)), now=NOW)
        # The last claim as one stored before bases were kept: SQL NULL.
        session.execute(update(ClaimRow).where(ClaimRow.id == ids[3]).values(basis=null()))
        old = session.get_one(ClaimRow, ids[3])
        old.page_json = rows.claim_json(old)
    return ids


@contextmanager
def _client(
    tmp_path: Path, url: str | None
) -> Iterator[tuple[TestClient, dict[str, str], list[int]]]:
    client, engine, keys = make_client(tmp_path, url=url)
    ids = _seed(engine)
    with client:  # runs the lifespan: the PostgreSQL pool opens
        yield client, keys, ids
    engine.dispose()
    client.app.state.services.reader.dispose()  # type: ignore[attr-defined]


def _listed(client: TestClient, reader: dict[str, str]) -> list[dict[str, Any]]:
    """Every claim through the pages, two at a time, each compared with its single view."""
    items, url = [], "/v1/claims?limit=2"
    while url:
        page = client.get(url, headers=reader).json()
        items += page["items"]
        url = page["next"]
    for item in items:
        assert item == client.get(f"/v1/claims/{item['id']}", headers=reader).json()
    return items


def _assert_pages_match_items(client: TestClient, keys: dict[str, str], ids: list[int]) -> None:
    reader = auth(keys["reader"])
    items = _listed(client, reader)
    assert [item["id"] for item in items] == ids
    assert (items[3]["evidence"], items[3]["verdict"]) == ({}, None)  # unchecked
    assert [item["approx"] for item in items] == [True, False, False, False]
    assert items[0]["computed"] == 0.30000000000000004  # every digit of a double
    assert items[1]["text"] == HOSTILE
    assert [item["basis"] for item in items] == [
        Basis().to_dict(), CLOCK.to_dict(), Basis().to_dict(), None,
    ]  # fmt: skip
    # A correction rewrites the claim and its check: their stored JSON follows.
    body = {
        "decision": "correct", "reason": "wrong_subject",
        "correction": {"subject": "SPY", "value": 4.5, "approx": True},
    }  # fmt: skip
    made = client.post(
        f"/v1/discrepancies/{ids[1]}/review", json=body, headers=auth(keys["reviewer"])
    )
    assert made.status_code == 201, made.text
    corrected = _listed(client, reader)[1]
    assert (corrected["subject"], corrected["value"], corrected["approx"]) == ("SPY", 4.5, True)
    assert corrected["basis"] == CLOCK.to_dict()  # a correction keeps how it was read
    assert corrected["review_status"] is not None


def test_claim_pages_equal_single_claims_sqlite(tmp_path: Path) -> None:
    with _client(tmp_path, None) as (client, keys, ids):
        _assert_pages_match_items(client, keys, ids)


@pytest.mark.postgres
def test_claim_pages_equal_single_claims_postgres(tmp_path: Path) -> None:
    with fresh_postgres() as url, _client(tmp_path, url) as (client, keys, ids):
        _assert_pages_match_items(client, keys, ids)
        reader = auth(keys["reader"])
        filtered = client.get("/v1/claims?symbol=MSFT&kind=hypothetical", headers=reader)
        assert [c["value"] for c in filtered.json()["items"]] == [1e21]
