"""The published time is kept: feed entries give it, the store round-trips it as aware UTC on
SQLite and PostgreSQL, and a lease hands it to the worker."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select
from store_support import STORES, store_engine

from corpus import intake
from corpus.http import Fetched
from corpus.sources import NEW_YORK, ArticleIn
from corpus.sources.feeds import FeedState, poll
from store import queue
from store.clock import utc_now
from store.tables import Article

MOMENT = datetime(2025, 2, 12, 16, 26, tzinfo=UTC)  # 11:26 in New York
# (published_at given, stored and leased)
TIMES = [
    (datetime(2025, 2, 12, 11, 26, tzinfo=NEW_YORK), MOMENT),
    (datetime(2025, 2, 12, 11, 26), MOMENT),  # naive: New York time, as the extractor reads it
    (MOMENT, MOMENT),
    (None, None),
]


@pytest.mark.parametrize("kind", STORES)
def test_published_at_round_trips_through_the_store(kind: str, tmp_path: Path) -> None:
    with store_engine(kind, tmp_path) as engine:
        with Session(engine) as session, session.begin():
            for i, (given, _) in enumerate(TIMES):
                article = ArticleIn(f"Story {i}.", published=date(2025, 2, 12), published_at=given)
                intake.enqueue(session, article, now=utc_now(), max_bytes=1000)
        with Session(engine) as session:
            stored = [a.published_at for a in session.exec(select(Article).order_by(Article.id))]
        with Session(engine) as session, session.begin():
            lease = queue.lease(session, limit=10, now=utc_now(), lease_seconds=60, max_attempts=3)
        assert lease is not None
        assert stored == [a.published_at for a in lease.articles] == [e for _, e in TIMES]
        assert {m.tzinfo for m in stored if m is not None} == {UTC}
        assert lease.articles[0].dated == MOMENT  # what the worker extracts with


ITEM = "<item><guid>g1</guid><title>T</title><description>Up.</description>{}</item>"
# (the entry's date element, expected published (the publisher's date), expected published_at)
ENTRIES = [
    ("<pubDate>Wed, 12 Feb 2025 11:26:00 -0500</pubDate>", date(2025, 2, 12), MOMENT),
    (
        "<pubDate>Wed, 12 Feb 2025 23:30:00 -0500</pubDate>",
        date(2025, 2, 12),
        datetime(2025, 2, 13, 4, 30, tzinfo=UTC),
    ),
    ("<pubDate>Wed, 12 Feb 2025 16:26:00 GMT</pubDate>", date(2025, 2, 12), MOMENT),
    ("", None, None),
]


class OneFeed:
    """A Fetcher that answers every GET with one RSS body."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Fetched:
        return Fetched(url, 200, {"content-type": "application/rss+xml"}, self.body)


@pytest.mark.parametrize(("when", "published", "published_at"), ENTRIES)
def test_published_at_comes_from_feed_entries(
    when: str, published: date | None, published_at: datetime | None
) -> None:
    channel = f"<channel><title>F</title>{ITEM.format(when)}</channel>"
    body = f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>".encode()
    (entry,) = poll(FeedState(url="https://x.test/feed"), OneFeed(body), utc_now()).entries
    assert (entry.published, entry.published_at) == (published, published_at)
