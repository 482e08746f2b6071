"""`newsclaims requeue`: failed articles back in the queue, all of them or by id."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from store_support import fill, upgraded
from typer.testing import CliRunner

from cli.main import app as cli
from store import queue
from store.tables import Article

T0 = datetime(2030, 1, 1, tzinfo=UTC)  # after fill() queued them


@pytest.fixture
def engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", url)
    engine = upgraded(url)
    fill(engine, 3)
    with Session(engine) as session, session.begin():
        held = queue.lease(session, limit=3, now=T0, lease_seconds=60, max_attempts=1)
        assert held is not None
        for article in held.articles:
            queue.start(session, [article.id], token=held.token)
            queue.fail(session, article.id, token=held.token, error="timeout: slow", now=T0,
                       max_attempts=1, retry_seconds=1)  # fmt: skip
    return engine


def states(engine: Engine) -> list[tuple[str, int]]:
    with Session(engine) as session:
        rows = session.exec(select(Article).order_by(Article.id)).all()  # type: ignore[arg-type]
        return [(a.status, a.attempts) for a in rows]


REQUEUES = [
    (["--id", "2"], 1, [("failed", 1), ("queued", 0), ("failed", 1)]),
    (["--id", "1", "--id", "3"], 2, [("queued", 0), ("failed", 1), ("queued", 0)]),
    (["--all"], 3, [("queued", 0)] * 3),
]


@pytest.mark.parametrize(("args", "moved", "expected"), REQUEUES)
def test_requeue_puts_failed_articles_back(
    engine: Engine, args: list[str], moved: int, expected: list[tuple[str, int]]
) -> None:
    result = CliRunner().invoke(cli, ["requeue", *args, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"requeued": moved}
    assert states(engine) == expected


@pytest.mark.parametrize("args", [[], ["--all", "--id", "1"]])
def test_requeue_needs_all_or_ids(engine: Engine, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["requeue", *args])
    assert result.exit_code == 2
    assert states(engine) == [("failed", 1)] * 3
