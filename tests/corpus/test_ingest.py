"""`newsclaims ingest`, `status --json` and `db upgrade` on SQLite, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from store import db

STORY = "Apple (AAPL) shares rose 2.5% on Tuesday after strong iPhone sales, traders said."
FILES: dict[str, bytes] = {
    "a.json": json.dumps({"text": STORY, "title": "Apple", "published": "2025-10-07"}).encode(),
    "b.txt": b"The Dow fell 300 points on Monday as yields rose.",
    "c.html": b"<html><body><article><p>"
    + b"Nvidia (NVDA) gained 4% after results beat forecasts. " * 6
    + b"</p></article></body></html>",
    "feed.jsonl": (
        json.dumps({"text": "Tesla (TSLA) slid 3% on delivery worries."}) + "\n"
        "{not json\n" + json.dumps({"text": STORY}) + "\n"  # the same text as a.json: a duplicate
    ).encode(),
    "empty.txt": b"   \n",
    "binary.txt": b"\x00\x01\x02PK",
    "latin1.txt": "Caf\xe9 stocks".encode("latin-1"),
    "big.txt": b"word " * 300,
    "notes.md": b"ignored in a folder",
}
REASONS = ["no article text", "binary content", "not valid UTF-8", "over the 1000-byte limit",
           "invalid JSON"]  # fmt: skip


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSCLAIMS_MAX_ARTICLE_BYTES", "1000")
    return CliRunner()


def status(runner: CliRunner) -> dict[str, object]:
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_ingest_summarises_new_duplicate_and_rejected(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in FILES.items():
        (folder / name).write_bytes(content)
    result = runner.invoke(app, ["ingest", str(folder), "--json"])
    assert result.exit_code == 1  # some inputs were rejected
    summary = json.loads(result.stdout)
    assert (summary["new"], summary["duplicate"]) == (4, 1)
    reasons = " | ".join(r["reason"] for r in summary["rejected"])
    assert len(summary["rejected"]) == len(REASONS)
    for reason in REASONS:
        assert reason in reasons
    assert status(runner)["articles"] == {
        "fetching": 0,
        "queued": 4,
        "processing": 0,
        "done": 0,
        "failed": 0,
    }
    again = runner.invoke(app, ["ingest", str(folder / "a.json"), str(folder / "b.txt")])
    assert again.exit_code == 0
    assert "new 0 (near-duplicates 0), duplicate 2, rejected 0" in again.stdout


def test_ingest_status_on_an_empty_database(runner: CliRunner) -> None:
    assert status(runner) == {
        "articles": {"fetching": 0, "queued": 0, "processing": 0, "done": 0, "failed": 0},
        "checked": 0, "partial": 0, "tickers": 0, "figures": 0, "quotes": 0, "claims": 0,
        "checks": 0, "feeds": [],
    }  # fmt: skip


def test_ingest_db_upgrade_command(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = db.make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    assert db.current_revision(engine) == db.head_revision()
