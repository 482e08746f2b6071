"""Feeds in the store: add/list/remove, state round trip, and polling the real saved feeds (served
from a local HTTP server) into the queue, once, with one failing feed never stopping the others."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from store_support import STORES, store_engine

from corpus import feed_polling, feed_store, worker
from corpus.errors import BadUrl
from corpus.feed_polling import FeedPolling, poll_due_feeds
from corpus.http import Fetched, HttpClient, HttpOptions
from corpus.sources.feeds import FeedState
from corpus.worker import WorkerOptions
from store.tables import Article, Feed

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
FEEDS = [
    # file, items, articles queued (two Seeking Alpha briefs are one text)
    ("wsj_markets_2023-02-04.xml", 20, 20),
    # Three entries' only text is the same blurb ("Names on the move ahead of the open."): one
    # article, as the content hash (of the text alone) decides.
    ("cnbc_finance_2019-07-29.xml", 30, 28),
    ("reuters_business_2019-01-19.xml", 20, 20),
    ("seekingalpha_msft_2017-10-26.xml", 30, 29),  # briefs share one link: not a key
]


class Handler(BaseHTTPRequestHandler):
    """/feeds/NAME (ETag, 304), /plain/NAME (no validators), /rate/SECONDS (429), else 500."""

    feeds_dir: Path

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        kind, _, arg = self.path.strip("/").partition("/")
        if kind in ("feeds", "plain"):
            body = (self.feeds_dir / arg).read_bytes()
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if kind == "feeds" and self.headers.get("If-None-Match") == etag:
                self.reply(304, b"", ETag=etag)
            else:
                self.reply(200, body, **({"ETag": etag} if kind == "feeds" else {}))
        elif kind == "rate":
            self.reply(429, b"slow down", **{"Retry-After": arg})
        else:
            self.reply(500, b"down")

    def reply(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serving(feeds_dir: Path) -> Iterator[str]:
    """The saved feeds over HTTP on 127.0.0.1; yields the base URL."""
    handler = type("FeedsHandler", (Handler,), {"feeds_dir": feeds_dir})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def base(shared_dir: Path) -> Iterator[str]:
    with serving(shared_dir / "feeds") as url:
        yield url


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(HttpOptions(allow_loopback=True, timeout=5.0)) as http:
        yield http


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated store: every test here runs on SQLite and on PostgreSQL."""
    with store_engine(request.param, tmp_path) as store:
        yield store


def add(engine: Engine, *urls: str, interval: int = 900) -> list[int]:
    with Session(engine) as session, session.begin():
        return [
            feed_store.add_feed(session, url, now=NOW, interval_seconds=interval).feed.id
            for url in urls
        ]


def articles(engine: Engine) -> list[Article]:
    with Session(engine) as session:
        return list(session.exec(select(Article).order_by(col(Article.id))).all())


def feed_row(engine: Engine, feed_id: int) -> Feed:
    with Session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None
        return feed


@pytest.mark.parametrize(("name", "items", "count"), FEEDS)
def test_feed_store_polls_real_feeds_once(
    engine: Engine,
    client: HttpClient,
    base: str,
    name: str,
    items: int,
    count: int,
) -> None:
    [feed_id] = add(engine, f"{base}/plain/{name}")
    first = poll_due_feeds(engine, client, NOW)
    assert [(p.feed_id, p.outcome, p.new, p.error) for p in first.feeds] == [
        (feed_id, "ok", count, None)
    ]
    stored = articles(engine)
    assert len(stored) == count
    assert {a.feed_id for a in stored} == {feed_id}
    assert all(a.entry_id and a.url and a.title for a in stored)
    assert poll_due_feeds(engine, client, NOW + timedelta(minutes=5)).feeds == ()  # not due
    again = poll_due_feeds(engine, client, LATER)  # no validators: a full 200 each time
    assert [(p.outcome, p.new, p.duplicates) for p in again.feeds] == [("ok", 0, items)]
    assert len(articles(engine)) == count


def test_feed_store_conditional_get_keeps_validators(
    engine: Engine, client: HttpClient, base: str
) -> None:
    [feed_id] = add(engine, f"{base}/feeds/wsj_markets_2023-02-04.xml")
    poll_due_feeds(engine, client, NOW)
    row = feed_row(engine, feed_id)
    assert row.etag
    assert row.title == "WSJ.com: Markets"
    assert feed_store.aware(row.next_poll_at) == NOW + timedelta(seconds=900)
    again = poll_due_feeds(engine, client, LATER)
    assert [(p.outcome, p.new) for p in again.feeds] == [("not_modified", 0)]
    assert feed_store.aware(feed_row(engine, feed_id).last_polled_at) == LATER


def test_feed_store_same_entries_in_two_feeds_queue_once(
    engine: Engine, client: HttpClient, base: str
) -> None:
    name = "reuters_business_2019-01-19.xml"
    add(engine, f"{base}/plain/{name}", f"{base}/feeds/{name}")
    report = poll_due_feeds(engine, client, NOW)
    assert [(p.new, p.duplicates) for p in report.feeds] == [(20, 0), (0, 20)]
    assert len(articles(engine)) == 20


def test_feed_store_failing_feeds_do_not_stop_others(
    engine: Engine, client: HttpClient, base: str
) -> None:
    down, rate, good = add(
        engine, f"{base}/down", f"{base}/rate/120", f"{base}/plain/wsj_markets_2023-02-04.xml",
        interval=60,
    )  # fmt: skip
    report = poll_due_feeds(engine, client, NOW)
    outcomes = {p.feed_id: (p.outcome, p.new) for p in report.feeds}
    assert outcomes == {down: ("error", 0), rate: ("rate_limited", 0), good: ("ok", 20)}
    assert report.failed == 1
    failed = feed_row(engine, down)
    assert (failed.errors, failed.last_error) == (1, f"bad_status: {base}/down: HTTP 500")
    assert feed_store.aware(failed.next_poll_at) == NOW + timedelta(seconds=120)  # 60 s * 2**1
    assert feed_store.aware(feed_row(engine, rate).next_poll_at) == NOW + timedelta(seconds=120)


class Broken:
    """A fetcher with a bug: the failure is the feed's, recorded like any other."""

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Fetched:
        raise RuntimeError("boom")


def test_feed_store_unexpected_fault_is_recorded(engine: Engine) -> None:
    [feed_id] = add(engine, "https://example.com/feed.xml")
    report = poll_due_feeds(engine, Broken(), NOW)
    assert [(p.outcome, p.error) for p in report.feeds] == [("error", "RuntimeError: boom")]
    assert feed_row(engine, feed_id).errors == 1


def test_feed_store_rejects_entries_over_the_size_limit(
    engine: Engine, client: HttpClient, base: str
) -> None:
    add(engine, f"{base}/plain/reuters_business_2019-01-19.xml")
    [polled] = poll_due_feeds(engine, client, NOW, max_bytes=200).feeds
    assert polled.new + len(polled.rejected) == 20
    assert polled.rejected
    assert "over the 200-byte limit" in polled.rejected[0]


def test_feed_store_claim_lets_one_caller_poll(engine: Engine) -> None:
    [feed_id] = add(engine, "https://example.com/feed.xml")
    with Session(engine) as session, session.begin():
        assert feed_polling.claim(session, feed_id, NOW)
        assert not feed_polling.claim(session, feed_id, NOW)
        assert feed_polling.claim(session, feed_id, NOW, every=True)


ADD_ERRORS = [
    ("ftp://example.com/feed.xml", 900, BadUrl),
    ("not a url", 900, BadUrl),
    ("https://example.com/feed.xml", 10, ValueError),
]


@pytest.mark.parametrize(("url", "interval", "error"), ADD_ERRORS)
def test_feed_store_add_refuses_bad_input(
    engine: Engine, url: str, interval: int, error: type[Exception]
) -> None:
    with Session(engine) as session, pytest.raises(error):
        feed_store.add_feed(session, url, now=NOW, interval_seconds=interval)


def test_feed_store_add_list_remove(engine: Engine, client: HttpClient, base: str) -> None:
    url = f"{base}/plain/wsj_markets_2023-02-04.xml"
    [feed_id] = add(engine, url, interval=600)
    with Session(engine) as session, session.begin():
        again = feed_store.add_feed(session, url, now=LATER)
        assert (again.created, again.feed.id, again.feed.interval_seconds) == (False, feed_id, 600)
    poll_due_feeds(engine, client, NOW)
    with Session(engine) as session, session.begin():
        [listed] = feed_store.list_feeds(session)
        assert (listed.url, listed.articles, listed.to_dict()["created_at"]) == (
            url, 20, NOW.isoformat(),
        )  # fmt: skip
        removed = feed_store.remove_feed(session, str(feed_id))
        assert removed is not None
        assert removed.articles == 20
        assert feed_store.remove_feed(session, url) is None
    with Session(engine) as session:
        assert feed_store.list_feeds(session) == []
    assert {a.feed_id for a in articles(engine)} == {None}  # the articles stay


def test_feed_store_state_round_trips(engine: Engine) -> None:
    [feed_id] = add(engine, "https://example.com/feed.xml", interval=300)
    state = FeedState(
        url="https://example.com/feed.xml", interval=timedelta(seconds=300), title="A",
        etag='"x"', modified="Sat, 04 Feb 2023 06:00:00 GMT", next_poll_at=LATER, failures=2,
        last_error="bad_status: HTTP 500",
    )  # fmt: skip
    with Session(engine) as session, session.begin():
        feed = session.get(Feed, feed_id)
        assert feed is not None
        feed_store.save_state(feed, state, now=NOW)
    with Session(engine) as session:
        feed = session.get(Feed, feed_id)
        assert feed is not None
        assert feed_store.load_state(session, feed) == state


def test_feed_store_worker_polls_and_processes(
    engine: Engine, client: HttpClient, base: str, nlp: Language
) -> None:
    add(engine, f"{base}/plain/wsj_markets_2023-02-04.xml")
    options = WorkerOptions(batch_size=8, drain=True, poll_seconds=0.05)
    tally = worker.run(engine, nlp, options=options, feeds=FeedPolling(client), clock=lambda: NOW)
    assert (tally.from_feeds, tally.done) == (20, 20)
    assert {a.status for a in articles(engine)} == {"done"}


def test_feed_store_list_pages_by_id(engine: Engine) -> None:
    ids = add(engine, *(f"https://example.com/{i}.xml" for i in range(5)))
    with Session(engine) as session:
        pages = [feed_store.list_feeds(session, after=after, limit=2) for after in (None, 2, 4)]
    assert [[feed.id for feed in page] for page in pages] == [ids[:2], ids[2:4], ids[4:]]
