"""The fetch stage's rules, one loopback case each: robots.txt, Retry-After, a slow host, a
redirect to a private address, a paywall, a canonical URL seen before, one request per interval.
On SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pages_support import Story, build_page, load_stories
from site_support import Reply, Site, serve
from sqlalchemy import Engine
from sqlmodel import Session
from store_support import STORES, held_seconds, store_engine

from corpus import intake
from corpus.fetching import ArticleFetching, FetchOptions, fetch_round
from corpus.http import HttpClient, HttpOptions
from corpus.sources import ArticleIn
from store.tables import Article

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TEASER = "Stocks slipped as investors weighed the jobs report."
KEY = "wsj_markets_2023-02-04-3"  # a "main" layout page (pages_support.layout_of)
PAYWALLED = "wsj_markets_2023-02-04-0"  # a "paywall" layout page


@pytest.fixture(scope="module")
def stories(shared_dir: Path) -> list[Story]:
    return load_stories(shared_dir / "corpus" / "wild", limit=40)


@pytest.fixture
def site(shared_dir: Path, stories: list[Story]) -> Iterator[Site]:
    served = Site(shared_dir / "feeds", stories)
    with serve(served):
        yield served


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with store_engine(request.param, tmp_path) as store:
        yield store


def fetching(engine: Engine, *, deadline: float = 5.0, interval: float = 0.005) -> ArticleFetching:
    client = HttpClient(HttpOptions(allow_loopback=True, deadline=deadline, timeout=deadline))
    options = FetchOptions(retry_seconds=60.0, per_host=10)
    return ArticleFetching.build(client, engine, interval=interval, options=options)


def queue_link(engine: Engine, url: str, *, teaser: str = TEASER) -> int:
    with Session(engine) as session, session.begin():
        article = ArticleIn(teaser, "A headline")
        return intake.enqueue_fetch(session, article, url=url, now=NOW, max_bytes=10**6).article_id


def fetched(engine: Engine, stage: ArticleFetching, article_id: int) -> Article:
    fetch_round(engine, stage, lambda: NOW)
    with Session(engine) as session:
        article = session.get(Article, article_id)
        assert article is not None
        return article


def test_fetch_robots_disallow_keeps_the_teaser(engine: Engine, site: Site) -> None:
    site.robots = "User-agent: *\nDisallow: /articles/\n"
    article = fetched(engine, fetching(engine), queue_link(engine, f"{site.base}/articles/{KEY}"))
    assert (article.status, article.partial, article.text) == ("queued", True, TEASER)
    assert article.fetch_error == "robots: disallowed by robots.txt"
    assert [path for path, _, _ in site.requests] == ["/robots.txt"]


def test_fetch_429_retry_after_holds_article_and_host(engine: Engine, site: Site) -> None:
    site.replies[f"/articles/{KEY}"] = Reply(429, b"slow down", (("Retry-After", "120"),))
    stage = fetching(engine)
    article = fetched(engine, stage, queue_link(engine, f"{site.base}/articles/{KEY}"))
    assert (article.status, article.attempts, article.fetch_error) == ("fetching", 1, "http: 429")
    assert article.available_at.replace(tzinfo=UTC) == NOW + timedelta(seconds=120)
    assert held_seconds(engine, site.base.removeprefix("http://")) > 100


def test_fetch_slow_host_hits_the_deadline(engine: Engine, site: Site) -> None:
    site.replies[f"/articles/{KEY}"] = Reply(body=b"<html></html>", delay=3.0)
    began = time.monotonic()
    article = fetched(
        engine, fetching(engine, deadline=1.0), queue_link(engine, f"{site.base}/articles/{KEY}")
    )
    assert time.monotonic() - began < 2.5
    assert (article.status, article.attempts) == ("fetching", 1)  # retried after a backoff
    assert article.fetch_error is not None
    assert "timed out" in article.fetch_error or "deadline" in article.fetch_error


def test_fetch_redirect_to_private_address_is_refused(engine: Engine, site: Site) -> None:
    site.replies["/articles/moved"] = Reply(302, headers=(("Location", "/articles/hop"),))
    site.replies["/articles/hop"] = Reply(301, headers=(("Location", "http://10.0.0.7/a"),))
    article = fetched(engine, fetching(engine), queue_link(engine, f"{site.base}/articles/moved"))
    assert (article.status, article.partial, article.text) == ("queued", True, TEASER)
    assert article.fetch_error is not None
    assert article.fetch_error.startswith("blocked_address: 10.0.0.7")


def test_fetch_paywall_page_is_partial(engine: Engine, site: Site) -> None:
    url = f"{site.base}/articles/{PAYWALLED}"
    article = fetched(engine, fetching(engine), queue_link(engine, url))
    assert (article.status, article.partial, article.text) == ("queued", True, TEASER)
    assert article.canonical_url == url
    assert article.site_name == "Quillbrook Markets"


def test_fetch_same_canonical_url_is_a_duplicate(engine: Engine, site: Site) -> None:
    first = queue_link(engine, f"{site.base}/articles/{KEY}?utm_source=twitter")
    copy = build_page(site.story(KEY), layout="classic", canonical=f"{site.base}/articles/{KEY}")
    site.replies["/syndicated/copy"] = Reply(body=copy.encode())
    second = queue_link(engine, f"{site.base}/syndicated/copy", teaser="Another teaser.")
    stage = fetching(engine)
    original = fetched(engine, stage, first)
    duplicate = fetched(engine, stage, second)
    assert (original.status, original.duplicate_of, original.partial) == ("queued", None, False)
    assert (duplicate.status, duplicate.duplicate_of) == ("done", first)
    assert duplicate.canonical_url == original.canonical_url == f"{site.base}/articles/{KEY}"


def test_fetch_one_request_per_host_per_interval(engine: Engine, site: Site) -> None:
    keys = [f"wsj_markets_2023-02-04-{i}" for i in range(1, 5)]
    for key in keys:
        queue_link(engine, f"{site.base}/articles/{key}")
    fetch_round(engine, fetching(engine, interval=0.3), lambda: NOW)
    times = [at for path, _, at in site.requests]
    assert len(times) == 1 + len(keys)  # robots.txt, then each page
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.28
