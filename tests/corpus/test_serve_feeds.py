"""The in-process worker of `newsclaims serve` polls the due feeds, as `newsclaims worker` does."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from store_support import counts, upgraded
from test_feed_store import serving
from typer.testing import CliRunner

from cli.api import _work
from cli.main import app as cli
from runtime.settings import Settings

WSJ = "wsj_markets_2023-02-04.xml"


def test_serve_worker_polls_feeds_added_over_the_api(
    tmp_path: Path, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = upgraded(url)
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", url)
    settings = Settings(
        database_url=url, http_allow_loopback=True, poll_seconds=0.05, extract_processes=0
    )
    stop = threading.Event()
    with serving(shared_dir / "feeds") as base:
        added = CliRunner().invoke(cli, ["feeds", "add", f"{base}/feeds/{WSJ}"])
        assert added.exit_code == 0, added.output
        worker = threading.Thread(target=_work, args=(settings, stop))
        worker.start()
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                articles = counts(engine)["articles"]
                assert isinstance(articles, dict)
                if sum(articles.values()) >= 20:
                    break
                time.sleep(0.1)
        finally:
            stop.set()
            worker.join(timeout=120)
    assert sum(counts(engine)["articles"].values()) == 20  # type: ignore[union-attr]
