"""A submitted published time: kept as published_at (UTC) beside its New York date, shown by the
API on SQLite and PostgreSQL, and used by the worker (11:26 ET: an intraday move)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from api_support import auth, fresh_postgres, make_client
from fastapi.testclient import TestClient
from spacy.language import Language
from sqlalchemy import Engine

from corpus import worker
from corpus.worker import WorkerOptions

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
DRAIN = WorkerOptions(batch_size=4, drain=True, poll_seconds=0.05, retry_seconds=0)
# (submitted published, the article's published and published_at)
PUBLISHED: list[tuple[Any, str | None, str | None]] = [
    ("2025-02-12T11:26:00-05:00", "2025-02-12", "2025-02-12T16:26:00Z"),
    ("2025-02-12T23:30:00-05:00", "2025-02-12", "2025-02-13T04:30:00Z"),  # New York's date
    ("2025-02-13T02:00:00Z", "2025-02-12", "2025-02-13T02:00:00Z"),
    ("2025-02-12T11:26:00", "2025-02-12", "2025-02-12T16:26:00Z"),  # naive: New York time
    ("2025-02-12", "2025-02-12", None),
    (None, None, None),
]


@contextmanager
def client_on(kind: str, tmp_path: Path) -> Iterator[tuple[TestClient, Engine, dict[str, str]]]:
    """A client over a fresh store of ``kind``, disposed afterwards."""
    if kind == "sqlite":
        client, engine, keys = make_client(tmp_path)
        yield client, engine, keys
        engine.dispose()
        return
    with fresh_postgres() as url:
        client, engine, keys = make_client(tmp_path, url=url)
        with client:
            yield client, engine, keys
        engine.dispose()
        client.app.state.services.reader.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_published_at_round_trips_through_the_api(kind: str, tmp_path: Path) -> None:
    with client_on(kind, tmp_path) as (client, _, keys):
        for i, (given, published, published_at) in enumerate(PUBLISHED):
            body = {"text": f"Story {i}.", "published": given}
            made = client.post("/v1/articles", json=body, headers=auth(keys["submitter"]))
            assert made.status_code == 202, made.text
            shown = client.get(made.headers["Location"], headers=auth(keys["reader"])).json()
            assert (shown["published"], shown["published_at"]) == (published, published_at)


REFUSED = ["yesterday", "2025-02-30T10:00:00", "2025-02-12T25:00", "0001-01-01T00:00:00+14:00", 7]


@pytest.mark.parametrize("given", REFUSED)
def test_published_at_bad_values_are_422(tmp_path: Path, given: Any) -> None:
    client, engine, keys = make_client(tmp_path)
    body = {"text": "x", "published": given}
    response = client.post("/v1/articles", json=body, headers=auth(keys["submitter"]))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["body.published"]
    engine.dispose()


@pytest.mark.parametrize("kind", KINDS)
def test_published_at_makes_the_worker_read_intraday(
    kind: str, tmp_path: Path, nlp: Language
) -> None:
    with client_on(kind, tmp_path) as (client, engine, keys):
        body = {"text": "The Dow was up 0.4%.", "published": "2025-02-12T11:26:00-05:00"}
        made = client.post("/v1/articles", json=body, headers=auth(keys["submitter"]))
        assert worker.run(engine, nlp, options=DRAIN).done == 1
        claims = client.get(f"{made.headers['Location']}/claims", headers=auth(keys["reader"]))
        (claim,) = claims.json()["items"]
        assert (claim["session"], claim["end"], claim["basis"]["session"]) == (
            "intraday", "2025-02-12", "clock",
        )  # fmt: skip
