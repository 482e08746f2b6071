"""Claims, quotes and tickers: filters, contract field names, cursor pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import auth, make_client, seed

CLAIM_FILTERS = [
    ("symbol=SPY", 2),
    ("symbol=AAPL&verdict=supported", 1),
    ("verdict=contradicted", 2),
    ("kind=historical&metric=price_return", 3),
    ("from=2025-10-08&to=2025-10-08", 3),
    ("from=2025-10-09", 0),
    ("q=rose", 3),
    ("q=100%25", 0),
    ("q=r_se", 0),  # LIKE wildcards are literal characters
    ("q=%2F", 0),  # so is the escape character
    ("article=999", 0),
]


@pytest.mark.parametrize(("query", "n"), CLAIM_FILTERS)
def test_claims_filters(tmp_path: Path, query: str, n: int) -> None:
    client, engine, keys = make_client(tmp_path)
    seed(engine)
    response = client.get(f"/v1/claims?{query}", headers=auth(keys["reader"]))
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == n


def test_claims_use_contract_names(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    item = client.get(f"/v1/claims/{ids[0]}", headers=auth(keys["reader"])).json()
    contract = {"subject", "metric", "value", "unit", "low", "high", "approx", "bound", "start",
                "end", "session", "kind", "text", "offsets", "basis", "verdict", "reason",
                "computed", "evidence"}  # fmt: skip
    assert contract <= set(item)
    assert (item["subject"], item["verdict"], item["computed"]) == ("SPY", "contradicted", 5.0)
    assert item["basis"] == {"subject": "sentence", "period": "sentence", "session": "default"}


def test_claims_cursor_pages_through_everything(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    for n in range(3):
        seed(engine, text=f"Article {n}. SPY rose 10% this year.")
    seen: list[int] = []
    url: str | None = "/v1/claims?limit=2"
    while url:
        page = client.get(url, headers=auth(keys["reader"])).json()
        seen += [c["id"] for c in page["items"]]
        url = page["next"]
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == 9


@pytest.mark.parametrize(
    ("query", "field"), [("from=someday", "query.from"), ("limit=501", "query.limit")]
)
def test_claims_bad_parameter_is_named(tmp_path: Path, query: str, field: str) -> None:
    client, _, keys = make_client(tmp_path)
    response = client.get(f"/v1/claims?{query}", headers=auth(keys["reader"]))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("cursor", ["garbage!", "WzFd" + "x", "eyJhIjoxfQ", "WyJ4Il0"])
def test_claims_bad_cursor_is_422(tmp_path: Path, cursor: str) -> None:
    client, _, keys = make_client(tmp_path)
    response = client.get(f"/v1/claims?cursor={cursor}", headers=auth(keys["reader"]))
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/bad_cursor"


def test_quotes_and_tickers(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    seed(engine)
    reader = auth(keys["reader"])
    assert client.get("/v1/quotes?speaker=jane&org=acme", headers=reader).json()["items"]
    assert not client.get("/v1/quotes?speaker=bob", headers=reader).json()["items"]
    ticker = client.get("/v1/tickers/SPY", headers=reader).json()
    assert ticker["name"] == "SPDR S&P 500"
    assert ticker["verdicts"] == {"contradicted": 2}
    assert len(ticker["mentions"]["items"]) == 1
    assert client.get(ticker["claims"], headers=reader).json()["items"]
    assert client.get("/v1/tickers/NOPE", headers=reader).status_code == 404
