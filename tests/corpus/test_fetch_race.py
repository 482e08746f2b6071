"""Two workers store the same story, fetched from two sites, at the same moment: the second copy
is the first's duplicate, not a failed attempt that fetches the page again later. On PostgreSQL
the second write meets the first's uncommitted row under the unique text hash and fails once it
commits; it is written again and then finds the first. SQLite serialises the two writes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pages_support import build_page, load_stories
from sqlalchemy import Engine
from sqlmodel import Session
from store_support import STORES, store_engine

from corpus import fetch_queue, intake
from corpus.fetching import ArticleFetching, FetchOptions, answered
from corpus.http import Fetched, HttpClient, HttpOptions
from corpus.pages import read_page
from corpus.sources import ArticleIn
from store.tables import Article

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
SITES = ("https://one.example/story", "https://two.example/story")


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with store_engine(request.param, tmp_path) as engine:
        yield engine


def test_fetch_race_same_story_from_two_sites_is_a_duplicate(
    engine: Engine, shared_dir: Path
) -> None:
    [story] = load_stories(shared_dir / "corpus" / "wild", limit=1)
    pages = [build_page(story, layout="main", canonical=url) for url in SITES]
    with Session(engine) as session, session.begin():
        for url in SITES:
            intake.enqueue_fetch(session, ArticleIn("A teaser.", story.title), url=url, now=NOW,
                                 max_bytes=10**6)  # fmt: skip
        token, (first, second) = fetch_queue.lease(
            session, now=NOW, limit=2, per_host=2, lease_seconds=60
        )
    options = FetchOptions()
    fetching = ArticleFetching.build(
        HttpClient(HttpOptions()), engine, interval=0.0, options=options
    )
    outcome: list[str] = []
    with Session(engine) as holder, holder.begin():  # the first worker's write, not committed yet
        first_page = read_page(pages[0], url=SITES[0])
        stored = fetch_queue.store_page(holder, first, first_page, token, final_url=SITES[0],
                                        now=NOW, max_bytes=10**6, recent=None)  # fmt: skip
        assert stored == "fetched"
        reply = Fetched(SITES[1], 200, {"content-type": "text/html"}, pages[1].encode())
        racer = threading.Thread(target=lambda: outcome.append(
            answered(engine, fetching, second, reply, token=token, clock=lambda: NOW)
        ))  # fmt: skip
        racer.start()
        time.sleep(0.5)  # the second write is waiting on the first (a lock, the unique index)
    racer.join(timeout=30)
    assert outcome == ["duplicate"]
    with Session(engine) as session:
        copy = session.get(Article, second.id)
        assert copy is not None
        assert (copy.status, copy.duplicate_of, copy.fetch_error) == ("done", first.id, None)
