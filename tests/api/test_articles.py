"""Submitting and reading articles: 202 + Location, 200 when known, 413, 415, 422 by field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_support import auth, make_client, seed

BODIES = [
    ({"json": {"text": "SPY rose 2% on Monday.", "title": "t", "published": "2025-10-08"}}),
    ({"content": "QQQ fell 1% on Friday.", "headers": {"Content-Type": "text/plain"}}),
    ({"content": "<p>IWM rose 3% today.</p>", "headers": {"Content-Type": "text/html"}}),
    ({"json": {"html": "<p>DIA rose <b>4%</b> this week.</p>", "source": "wire"}}),
]


@pytest.mark.parametrize("body", BODIES)
def test_articles_submit_queues_then_answers_known(tmp_path: Path, body: dict[str, Any]) -> None:
    client, _, keys = make_client(tmp_path)
    headers = auth(keys["submitter"]) | dict(body.pop("headers", {}))
    first = client.post("/v1/articles", headers=headers, **body)
    assert first.status_code == 202, first.text
    assert first.headers["Location"] == f"/v1/articles/{first.json()['id']}"
    assert first.json()["state"] == "queued"
    again = client.post("/v1/articles", headers=headers, **body)
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    state = client.get(first.headers["Location"], headers=auth(keys["reader"])).json()
    assert state["state"] == "queued"
    assert state["counts"] == {"tickers": 0, "figures": 0, "quotes": 0, "claims": 0}


REFUSED = [
    ({"content": b"x" * 2000, "headers": {"Content-Type": "text/plain"}}, 413, "payload_too_large"),
    ({"content": b"a,b", "headers": {"Content-Type": "text/csv"}}, 415, "unsupported_media_type"),
    ({"json": {"title": "no text"}}, 422, "validation_error"),
    ({"json": {"text": "x", "published": "yesterday"}}, 422, "body.published"),
    ({"json": {"text": "x", "colour": "red"}}, 422, "body.colour"),
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422, "validation"),
    ({"content": b"\x00\x01", "headers": {"Content-Type": "text/plain"}}, 422, "binary"),
]


@pytest.mark.parametrize(("body", "status", "said"), REFUSED)
def test_articles_submit_refuses_bad_bodies(
    tmp_path: Path, body: dict[str, Any], status: int, said: str
) -> None:
    client, _, keys = make_client(tmp_path, max_submit_bytes=1000)
    headers = auth(keys["submitter"]) | dict(body.pop("headers", {}))
    response = client.post("/v1/articles", headers=headers, **body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert said in response.text


def test_articles_read_facts_and_filters(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    article_id, _ = seed(engine)
    reader = auth(keys["reader"])
    assert client.get(f"/v1/articles/{article_id}", headers=reader).json()["counts"] == {
        "tickers": 2, "figures": 1, "quotes": 1, "claims": 3,
    }  # fmt: skip
    for kind, n in (("claims", 3), ("figures", 1), ("quotes", 1), ("tickers", 2)):
        page = client.get(f"/v1/articles/{article_id}/{kind}", headers=reader).json()
        assert len(page["items"]) == n
    assert client.get("/v1/articles?state=queued&source=wire", headers=reader).json()["items"]
    assert not client.get("/v1/articles?state=done", headers=reader).json()["items"]
    assert not client.get("/v1/articles?from=2025-10-09", headers=reader).json()["items"]
    assert client.get("/v1/articles/999", headers=reader).status_code == 404


STORY = (
    "Stocks rose on Tuesday as investors weighed fresh inflation data. The S&P 500 gained 1.2% "
    "and the Nasdaq Composite added 1.8%, led by chipmakers, while Treasury yields eased."
)


def test_articles_submit_marks_near_duplicates(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    submit = auth(keys["submitter"])
    first = client.post(
        "/v1/articles", json={"text": STORY, "title": "Stocks rise"}, headers=submit
    )
    edited = STORY.replace("Tuesday", "Wednesday")  # a light wire edit: a new text, same story
    second = client.post(
        "/v1/articles", json={"text": edited, "title": "Stocks rise"}, headers=submit
    )
    other = client.post(
        "/v1/articles",
        json={"text": "Oil fell 3% as supplies grew.", "title": "Oil"},
        headers=submit,
    )
    assert [r.status_code for r in (first, second, other)] == [202, 202, 202]
    assert second.json()["duplicate_of"] == first.json()["id"]
    assert (first.json()["duplicate_of"], other.json()["duplicate_of"]) == (None, None)
    state = client.get(second.headers["Location"], headers=auth(keys["reader"])).json()
    assert state["duplicate_of"] == first.json()["id"]
