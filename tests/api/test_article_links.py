"""Submitting a link: the fetch is queued (state fetching), never made inside the request; the
article shows its fetch fields; `newsclaims ingest URL` queues the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import auth, make_client
from typer.testing import CliRunner

from cli.main import app as cli

LINK = "https://news.example/markets/story-1?utm_source=twitter&id=7"


def test_article_links_submit_queues_a_fetch(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
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


def test_article_links_refuse_a_non_web_url(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path)
    refused = client.post(
        "/v1/articles", headers=auth(keys["submitter"]), json={"url": "file:///etc/passwd"}
    )
    assert refused.status_code == 422


def test_article_links_ingest_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    queued = runner.invoke(cli, ["ingest", LINK, "https://news.example/other", "--json"])
    assert queued.exit_code == 0, queued.output
    assert '"new": 2' in queued.output
    status = runner.invoke(cli, ["status", "--json"])
    assert '"fetching": 2' in status.output
