"""`newsclaims feeds add/list/remove/poll` on SQLite, through the CLI, against the saved feeds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from test_feed_store import serving
from typer.testing import CliRunner

from cli import feeds

WSJ = "wsj_markets_2023-02-04.xml"


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    """The feed commands alone (cli/main.py registers them on the real app)."""
    app = typer.Typer()
    feeds.register(app)
    return app


@pytest.fixture(scope="module")
def base(shared_dir: Path) -> Iterator[str]:
    with serving(shared_dir / "feeds") as url:
        yield url


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSCLAIMS_HTTP_ALLOW_LOOPBACK", "true")
    return CliRunner()


def test_feed_cli_add_poll_list_remove(runner: CliRunner, app: typer.Typer, base: str) -> None:
    url = f"{base}/feeds/{WSJ}"
    added = runner.invoke(app, ["feeds", "add", url, "--interval", "600"])
    assert added.exit_code == 0, added.output
    assert added.output.startswith(f"added feed 1 {url} (every 600 s)")
    assert "already there" in runner.invoke(app, ["feeds", "add", url]).output
    polled = runner.invoke(app, ["feeds", "poll", "--json"])
    assert polled.exit_code == 0, polled.output
    report = json.loads(polled.output)
    assert {k: report[k] for k in ("polled", "new", "failed")} == {
        "polled": 1,
        "new": 20,
        "failed": 0,
    }
    assert json.loads(runner.invoke(app, ["feeds", "poll", "--json"]).output)["polled"] == 0
    again = runner.invoke(app, ["feeds", "poll", "--all"])  # not due, polled anyway: a 304
    assert "not_modified, new 0" in again.output
    [listed] = json.loads(runner.invoke(app, ["feeds", "list", "--json"]).output)
    assert (listed["url"], listed["title"], listed["articles"]) == (url, "WSJ.com: Markets", 20)
    assert "20 articles" in runner.invoke(app, ["feeds", "list"]).output
    removed = runner.invoke(app, ["feeds", "remove", url])
    assert (removed.exit_code, removed.output) == (0, f"removed feed 1 {url} (20 articles kept)\n")
    assert runner.invoke(app, ["feeds", "remove", "1"]).exit_code == 1


FAILURES = [
    # args, exit code, output fragment
    (["feeds", "add", "ftp://example.com/feed"], 1, "only absolute http and https URLs"),
    (["feeds", "add", "https://example.com/feed", "--interval", "5"], 2, "--interval"),
    (["feeds", "remove", "https://example.com/none"], 1, "no feed https://example.com/none"),
]


@pytest.mark.parametrize(("args", "code", "fragment"), FAILURES)
def test_feed_cli_refuses_bad_input(
    runner: CliRunner, app: typer.Typer, args: list[str], code: int, fragment: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert fragment in result.output


def test_feed_cli_poll_fails_when_a_feed_fails(
    runner: CliRunner, app: typer.Typer, base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner.invoke(app, ["feeds", "add", f"{base}/down"])
    runner.invoke(app, ["feeds", "add", f"{base}/plain/{WSJ}"])
    result = runner.invoke(app, ["feeds", "poll"])
    assert result.exit_code == 1
    assert "2 feeds polled: new 20, duplicate 0, rejected 0, failed 1" in result.output
    monkeypatch.setenv("NEWSCLAIMS_HTTP_ALLOW_LOOPBACK", "false")  # the guard is on by default
    blocked = runner.invoke(app, ["feeds", "poll", "--all", "--json"])
    errors = {feed["error"].split(":")[0] for feed in json.loads(blocked.output)["feeds"]}
    assert errors == {"blocked_address"}
