"""/metrics: off unless NEWSCLAIMS_METRICS, store figures cached, read without a write lock."""

from __future__ import annotations

import time
from pathlib import Path

from api_support import NOW, make_client, seed
from sqlalchemy import text
from sqlmodel import Session

from corpus import intake
from corpus.sources import ArticleIn


def queued(scrape: str) -> str:
    return next(line for line in scrape.splitlines() if 'queue_depth{state="queued"}' in line)


def test_metrics_are_off_by_default(tmp_path: Path) -> None:
    client, _, _ = make_client(tmp_path)
    response = client.get("/metrics")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_metrics_store_figures_are_read_once_in_ten_seconds(tmp_path: Path) -> None:
    client, engine, _ = make_client(tmp_path, metrics=True)
    seed(engine)
    first = queued(client.get("/metrics").text)
    with Session(engine) as session, session.begin():
        intake.enqueue(session, ArticleIn("SPY fell 2% today."), now=NOW, max_bytes=10_000)
    assert queued(client.get("/metrics").text) == first  # the cached figures
    client.app.state.services.metrics.store._read_at -= 10  # ten seconds later
    assert queued(client.get("/metrics").text) != first


def test_metrics_scrape_takes_no_write_lock(tmp_path: Path) -> None:
    client, engine, _ = make_client(tmp_path, metrics=True)
    seed(engine)
    with engine.connect() as writer:  # the worker mid-transaction: BEGIN IMMEDIATE holds the lock
        writer.execute(text("UPDATE articles SET source = 'held'"))
        began = time.monotonic()
        response = client.get("/metrics")
        seconds = time.monotonic() - began
        writer.rollback()
    assert response.status_code == 200
    assert 'newsclaims_queue_depth{state="queued"} 1.0' in response.text
    assert seconds < 1.0
