"""Feeds in the store: the records operators see, adding, listing and removing them, and the
poller's state kept on each row (``load_state`` / ``save_state``).

Polling the due feeds into the queue is ``corpus.feed_polling``, which imports this module (never
the reverse). A Feed row holds what ``corpus.sources.feeds.poll`` remembers between polls
(validators, interval, backoff); the entry keys it deduplicates on are rebuilt from the feed's
stored articles (their ``entry_id`` and ``url``), so nothing is kept twice. A removed feed's
articles stay, detached.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, update
from sqlmodel import Session, col, select

from corpus.feed_intervals import DEFAULT_SECONDS, MIN_INTERVAL_SECONDS
from corpus.http import checked_url
from corpus.sources.feeds import MAX_SEEN, FeedState
from store.tables import Article, Feed


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """One feed as operators see it (a detached copy of the row plus its article count)."""

    id: int
    url: str
    title: str | None
    interval_seconds: int
    next_poll_at: datetime | None
    errors: int
    last_error: str | None
    last_polled_at: datetime | None
    created_at: datetime
    articles: int = 0

    @classmethod
    def from_row(cls, feed: Feed, *, articles: int = 0) -> FeedInfo:
        """A copy of the row's fields."""
        return cls(
            id=feed.id or 0, url=feed.url, title=feed.title,
            interval_seconds=feed.interval_seconds, next_poll_at=aware(feed.next_poll_at),
            errors=feed.errors, last_error=feed.last_error,
            last_polled_at=aware(feed.last_polled_at), created_at=aware(feed.created_at) or
            feed.created_at, articles=articles,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes ISO)."""
        times = ("next_poll_at", "last_polled_at", "created_at")
        out = {name: getattr(self, name) for name in self.__slots__}
        return out | {n: out[n].isoformat() if out[n] else None for n in times}


@dataclass(frozen=True, slots=True)
class FeedAdded:
    """The feed, and whether it was created (False: that URL was already there)."""

    feed: FeedInfo
    created: bool


def aware(moment: datetime | None) -> datetime | None:
    """A stored time as timezone-aware UTC (SQLite hands back naive datetimes)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def add_feed(
    session: Session,
    url: str,
    *,
    now: datetime,
    interval_seconds: int = DEFAULT_SECONDS,
    title: str | None = None,
) -> FeedAdded:
    """Store a feed, due at once; BadUrl for a non-http(s) URL, ValueError for a too-short interval.

    An existing URL is returned as it is (its interval and title unchanged), with ``created``
    False. ``title`` names a new feed until a poll reads the feed's own.
    """
    if interval_seconds < MIN_INTERVAL_SECONDS:
        raise ValueError(f"interval {interval_seconds} s is under {MIN_INTERVAL_SECONDS} s")
    url = str(checked_url(url))
    existing = session.exec(select(Feed).where(Feed.url == url)).first()
    if existing is not None:
        return FeedAdded(info(session, existing), created=False)
    feed = Feed(url=url, title=title, interval_seconds=interval_seconds, created_at=now)
    session.add(feed)
    session.flush()
    return FeedAdded(FeedInfo.from_row(feed), created=True)


def info(session: Session, feed: Feed) -> FeedInfo:
    """The row as FeedInfo, with its article count."""
    count = session.exec(select(func.count()).where(Article.feed_id == feed.id)).one()
    return FeedInfo.from_row(feed, articles=count)


def list_feeds(
    session: Session, *, after: int | None = None, limit: int | None = None
) -> list[FeedInfo]:
    """Feeds in id order (as added): those after id ``after``, at most ``limit`` of them."""
    statement = select(Feed).order_by(col(Feed.id)).limit(limit)
    if after is not None:
        statement = statement.where(col(Feed.id) > after)
    feeds = session.exec(statement).all()
    counts = dict(
        session.exec(
            select(Article.feed_id, func.count())
            .where(col(Article.feed_id).in_([feed.id for feed in feeds]))
            .group_by(col(Article.feed_id))
        ).all()
    )
    return [FeedInfo.from_row(feed, articles=counts.get(feed.id, 0)) for feed in feeds]


def find_feed(session: Session, ref: int | str) -> Feed | None:
    """A feed by id (an int or a string of digits) or by URL."""
    if isinstance(ref, int) or ref.isdigit():
        return session.get(Feed, int(ref))
    feed = session.exec(select(Feed).where(Feed.url == ref)).first()
    if feed is None:  # the URL as add_feed normalised it
        feed = session.exec(select(Feed).where(Feed.url == str(checked_url(ref)))).first()
    return feed


def remove_feed(session: Session, ref: int | str) -> FeedInfo | None:
    """Delete a feed (by id or URL); its articles stay, detached. None: no such feed."""
    feed = find_feed(session, ref)
    if feed is None:
        return None
    removed = info(session, feed)
    session.execute(update(Article).where(col(Article.feed_id) == feed.id).values(feed_id=None))
    session.delete(feed)
    session.flush()
    return removed


def load_state(session: Session, feed: Feed) -> FeedState:
    """The poller's state for a feed: the row's fields, seen keys from its stored articles."""
    return FeedState(
        url=feed.url,
        interval=timedelta(seconds=feed.interval_seconds),
        title=feed.title,
        etag=feed.etag,
        modified=feed.last_modified,
        next_poll_at=aware(feed.next_poll_at),
        failures=feed.errors,
        last_error=feed.last_error,
        seen=seen_keys(session, feed.id or 0),
    )


def seen_keys(session: Session, feed_id: int) -> tuple[str, ...]:
    """The dedup keys poll knows entries by ("id:..", "link:..", "shared:.."), oldest first.

    A link several stored articles share (a publisher pointing briefs at one page) is "shared",
    never a key, as poll itself decides within one fetch.
    """
    rows = session.exec(
        select(Article.entry_id, Article.url)
        .where(Article.feed_id == feed_id)
        .order_by(col(Article.id).desc())
        .limit(MAX_SEEN // 2)  # two keys an article; newest kept
    ).all()
    links = Counter(url for _, url in rows if url)
    keys = [f"shared:{url}" for url, n in links.items() if n > 1]
    for entry_id, url in reversed(rows):
        keys += [f"id:{entry_id}"] if entry_id else []
        keys += [f"link:{url}"] if url and links[url] == 1 else []
    return tuple(keys)


def save_state(feed: Feed, state: FeedState, *, now: datetime) -> None:
    """Copy the poller's new state onto the row (the caller commits)."""
    feed.title = state.title
    feed.etag = state.etag
    feed.last_modified = state.modified
    feed.next_poll_at = state.next_poll_at
    feed.errors = state.failures
    feed.last_error = state.last_error
    feed.last_polled_at = now


@dataclass(frozen=True, slots=True)
class FeedFetches:
    """What following one feed's links has done: pages fetched (any outcome), failed fetches,
    partial articles (paywalls, teasers, pages given up on), and the last error (the feed's own
    poll error, else its articles' latest fetch error)."""

    feed_id: int
    url: str
    fetches: int
    failures: int
    partial: int
    last_error: str | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {name: getattr(self, name) for name in self.__slots__}


def fetch_stats(session: Session) -> list[FeedFetches]:
    """Each feed's fetches, failures, partial articles and last error, in id order."""
    rows = session.exec(
        select(
            Article.feed_id,
            func.count(col(Article.fetched_at)),
            func.count(col(Article.fetch_error)),
            func.sum(case((col(Article.partial), 1), else_=0)),
        ).group_by(col(Article.feed_id))
    ).all()
    counted = {feed_id: (n, failed, int(partial or 0)) for feed_id, n, failed, partial in rows}
    stats = []
    for feed in session.exec(select(Feed).order_by(col(Feed.id))).all():
        fetches, failures, partial = counted.get(feed.id, (0, 0, 0))
        error = feed.last_error or last_fetch_error(session, feed.id or 0)
        stats.append(FeedFetches(feed.id or 0, feed.url, fetches, failures, partial, error))
    return stats


def last_fetch_error(session: Session, feed_id: int) -> str | None:
    """The latest fetch error among a feed's articles."""
    statement = (
        select(Article.fetch_error)
        .where(Article.feed_id == feed_id, col(Article.fetch_error).is_not(None))
        .order_by(col(Article.fetched_at).desc())
    )
    return session.exec(statement.limit(1)).first()
