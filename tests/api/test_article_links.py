"""Submitting a link: the fetch is queued (state fetching), never made inside the request; the
article shows its fetch fields; `newsclaims ingest URL` queues the same way."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from api_support import auth, make_client
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from cli.main import app as cli
from corpus import feed_store, intake
from corpus.sources import ArticleIn
from store.tables import Article

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LINK = "https://news.example/markets/story-1?utm_source=twitter&id=7"


def test_article_links_submit_queues_a_fetch(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path, fetch_articles=True)
    first = client.post("/v1/articles", headers=auth(keys["submitter"]), json={"url": LINK})
    assert first.status_code == 202, first.text
    assert first.json()["state"] == "fetching"
    same = "https://NEWS.example/markets/story-1?id=7#top"  # the same page, tracking removed
    again = client.post("/v1/articles", headers=auth(keys["submitter"]), json={"url": same})
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    article = client.get(first.headers["Location"], headers=auth(keys["reader"])).json()
    assert (article["state"], article["url"], article["partial"]) == ("fetching", LINK, False)
    assert (article["fetched_at"], article["fetch_error"], article["canonical_url"]) == (
        None, None, None,
    )  # fmt: skip


def test_article_links_refused_while_fetching_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link nobody would fetch is refused, not left ``fetching`` for good (worker --drain
    would wait on it forever)."""
    client, engine, keys = make_client(tmp_path, fetch_articles=False)
    refused = client.post("/v1/articles", headers=auth(keys["submitter"]), json={"url": LINK})
    assert refused.status_code == 422
    assert "NEWSCLAIMS_FETCH_ARTICLES" in refused.json()["detail"]
    with Session(engine) as session:
        assert session.exec(select(Article)).first() is None
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSCLAIMS_FETCH_ARTICLES", "false")
    queued = CliRunner().invoke(cli, ["ingest", LINK, "--json"])
    assert queued.exit_code == 1
    assert "links are not fetched here" in queued.output


def test_article_links_refuse_a_non_web_url(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path, fetch_articles=True)
    refused = client.post(
        "/v1/articles", headers=auth(keys["submitter"]), json={"url": "file:///etc/passwd"}
    )
    assert refused.status_code == 422


def test_article_links_ingest_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSCLAIMS_FETCH_ARTICLES", "true")
    runner = CliRunner()
    queued = runner.invoke(cli, ["ingest", LINK, "https://news.example/other", "--json"])
    assert queued.exit_code == 0, queued.output
    assert '"new": 2' in queued.output
    status = runner.invoke(cli, ["status", "--json"])
    assert '"fetching": 2' in status.output


def seed_feed(engine: Engine) -> None:
    """A feed with one fetched article and one given up on (partial, with its error)."""
    with Session(engine) as session, session.begin():
        feed_id = feed_store.add_feed(session, "https://news.example/rss", now=NOW).feed.id
        for i, _error in enumerate([None, "http: 404"]):
            item = ArticleIn(f"Teaser {i}.", f"Story {i}")
            intake.enqueue_fetch(session, item, url=f"{LINK}&n={i}", now=NOW, max_bytes=10**6,
                                 feed_id=feed_id)  # fmt: skip
        session.execute(update(Article).values(fetched_at=NOW))
        session.execute(update(Article).where(col(Article.id) == 2).values(
            fetch_error="http: 404", partial=True))  # fmt: skip


def test_article_links_status_and_metrics_per_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, engine, _ = make_client(tmp_path, metrics=True)
    seed_feed(engine)
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", str(engine.url))
    status = json.loads(CliRunner().invoke(cli, ["status", "--json"]).output)
    assert status["partial"] == 1
    expected = {"feed_id": 1, "url": "https://news.example/rss", "fetches": 2, "failures": 1,
                "partial": 1, "last_error": "http: 404"}  # fmt: skip
    assert status["feeds"] == [expected]
    metrics = client.get("/metrics").text
    assert 'newsclaims_feed_fetches{feed="https://news.example/rss"} 2.0' in metrics
    assert 'newsclaims_feed_fetch_failures{feed="https://news.example/rss"} 1.0' in metrics
    assert 'newsclaims_feed_partial_articles{feed="https://news.example/rss"} 1.0' in metrics
    assert 'error="http: 404"' in metrics


def test_article_links_partial_articles_are_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, engine, _ = make_client(tmp_path, metrics=True)
    seed_feed(engine)  # both done: article 1 with its page, article 2 partial
    with Session(engine) as session, session.begin():
        session.execute(update(Article).values(status="done", done_at=NOW))
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", str(engine.url))
    status = json.loads(CliRunner().invoke(cli, ["status", "--json"]).output)
    assert (status["articles"]["done"], status["checked"], status["partial"]) == (2, 1, 1)
    table = CliRunner().invoke(cli, ["status"]).output
    assert "checked" in table
    metrics = client.get("/metrics").text
    assert "newsclaims_articles_processed_total 1.0" in metrics  # the partial one is not
    assert "newsclaims_articles_partial 1.0" in metrics
    assert 'newsclaims_queue_depth{state="done"} 2.0' in metrics
