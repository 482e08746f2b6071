"""Hostile submissions: long titles, script URLs, titles that close a <script>; and the
near-duplicate matching of a submission kept off the event loop."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from api_support import auth, make_client, seed
from sqlalchemy import update
from sqlmodel import Session

from api.routes import articles
from api.schemas import MAX_TITLE
from store.tables import Article

TEXT = "SPY rose 1% today."
URLS = [
    ("https://example.com/a", 202),
    ("HTTP://example.com/a?b=c#d", 202),
    ("javascript:alert(1)", 422),
    ("JavaScript://example.com/%0aalert(1)", 422),
    ("data:text/html,<script>alert(1)</script>", 422),
    ("//example.com/a", 422),
    ("https://", 422),
]


@pytest.mark.parametrize(("url", "status"), URLS)
def test_submit_takes_only_web_urls(tmp_path: Path, url: str, status: int) -> None:
    client, _, keys = make_client(tmp_path)
    body = {"text": TEXT, "url": url}
    response = client.post("/v1/articles", json=body, headers=auth(keys["submitter"]))
    assert response.status_code == status, response.text


@pytest.mark.parametrize(("length", "status"), [(MAX_TITLE, 202), (MAX_TITLE + 1, 422)])
def test_submit_caps_the_title(tmp_path: Path, length: int, status: int) -> None:
    client, _, keys = make_client(tmp_path)
    body = {"text": TEXT, "title": "t" * length}
    response = client.post("/v1/articles", json=body, headers=auth(keys["submitter"]))
    assert response.status_code == status
    if status == 422:
        assert response.json()["errors"][0]["field"] == "body.title"


def test_submit_matches_near_duplicates_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _, keys = make_client(tmp_path)
    loops: list[bool] = []
    enqueue = articles.intake.enqueue

    def spy(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            loops.append(True)
        except RuntimeError:
            loops.append(False)
        return enqueue(*args, **kwargs)

    monkeypatch.setattr(articles.intake, "enqueue", spy)
    response = client.post("/v1/articles", json={"text": TEXT}, headers=auth(keys["submitter"]))
    assert response.status_code == 202
    assert loops == [False]


def test_claimreview_cannot_close_a_script_element(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    article_id, ids = seed(engine)
    title = "</script><script>alert('x')</script> & <!-- \u2028"
    with Session(engine) as session, session.begin():
        session.exec(update(Article).where(Article.id == article_id).values(title=title))  # type: ignore[call-overload]
    body = {"decision": "confirm"}
    made = client.post(
        f"/v1/discrepancies/{ids[0]}/review", json=body, headers=auth(keys["reviewer"])
    )
    assert made.status_code == 201
    response = client.get(f"/v1/claims/{ids[0]}/claimreview", headers=auth(keys["reader"]))
    assert response.headers["content-type"].startswith("application/ld+json")
    raw = response.text
    assert not {"<", ">", "&", "\u2028"} & set(raw)
    assert "\\u003c/script\\u003e" in raw
    assert json.loads(raw)["itemReviewed"]["appearance"]["headline"] == title


@pytest.mark.parametrize("field", ["approx", "subject", "metric", "unit", "kind"])
def test_review_correction_to_nothing_is_refused(tmp_path: Path, field: str) -> None:
    client, engine, keys = make_client(tmp_path)
    _, ids = seed(engine)
    body = {"decision": "correct", "reason": "other", "correction": {field: None}}
    made = client.post(
        f"/v1/discrepancies/{ids[0]}/review", json=body, headers=auth(keys["reviewer"])
    )
    assert made.status_code == 409, made.text
    assert field in made.json()["detail"]
