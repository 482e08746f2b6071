"""Polling feeds: claim each due feed, fetch it, and queue its new entries.

The feed rows, their CRUD and the poller's state on them are ``corpus.feed_store``; this module
imports it (never the reverse). ``poll_due_feeds`` claims each due feed with a compare-and-set on
``next_poll_at`` (two workers never poll one feed at once, on SQLite or PostgreSQL), fetches it
outside any transaction, then writes its new articles and state in one transaction. A feed's
fault, whatever it is, is recorded on that feed and never stops the others.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, Engine, or_, update
from sqlmodel import Session, col, select

from corpus import intake
from corpus.dedup import RecentArticles
from corpus.errors import BadArticle
from corpus.feed_store import load_state, save_state
from corpus.http import Fetched
from corpus.sources import ArticleIn
from corpus.sources.feeds import (
    FeedState,
    Fetcher,
    PollResult,
    backoff,
    entry_to_article,
    parse_feed,
    poll,
)
from corpus.urls import clean_url
from store.tables import Article, Feed

log = logging.getLogger(__name__)

# How long a claimed feed stays claimed: far above one poll (10 s timeouts, a few redirects), so
# a live poll always finishes first; a worker that died mid-poll delays the feed by this much.
CLAIM = timedelta(minutes=10)
# Settings.max_article_bytes's default, for callers without settings (tests, scripts).
MAX_ARTICLE_BYTES = 2_000_000
# Words from which an entry's own text (content:encoded, else its summary) is the story, used as
# is without fetching its link: the shortest story of corpus/wild has 120, teasers in the four
# feeds of ../shared/feeds 10-70 (chosen between the two).
FULL_TEXT_WORDS = 120


@dataclass(frozen=True, slots=True)
class FeedPolled:
    """What one poll of one feed did."""

    feed_id: int
    url: str
    outcome: str  # "ok", "not_modified", "rate_limited" or "error" (poll's Outcome)
    new: int = 0
    duplicates: int = 0
    rejected: tuple[str, ...] = ()  # one reason per entry that could not become an article
    error: str | None = None  # "code: message"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {name: getattr(self, name) for name in self.__slots__} | {
            "rejected": list(self.rejected)
        }


@dataclass(frozen=True, slots=True)
class FeedsReport:
    """Every feed polled in one round."""

    feeds: tuple[FeedPolled, ...] = field(default_factory=tuple)

    @property
    def new(self) -> int:
        """Articles queued."""
        return sum(polled.new for polled in self.feeds)

    @property
    def failed(self) -> int:
        """Feeds whose poll ended in an error."""
        return sum(polled.outcome == "error" for polled in self.feeds)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: totals and one entry per feed."""
        return {
            "polled": len(self.feeds),
            "new": self.new,
            "duplicates": sum(polled.duplicates for polled in self.feeds),
            "rejected": sum(len(polled.rejected) for polled in self.feeds),
            "failed": self.failed,
            "feeds": [polled.to_dict() for polled in self.feeds],
        }


@dataclass(frozen=True, slots=True)
class FeedPolling:
    """How a worker polls feeds between batches: the client and how entries are queued."""

    client: Fetcher
    max_bytes: int = MAX_ARTICLE_BYTES
    recent: RecentArticles | None = None
    follow_links: bool = False  # entries without their full text are fetched from their link
    # Due feeds are looked for at most this often: intervals are minutes (15 by default, 1 at
    # least), so 10 s costs no freshness and spares a busy worker a query per batch (chosen).
    check_seconds: float = 10.0


class Recorder:
    """A Fetcher that keeps the last response, so entries can be matched to their feed ids."""

    def __init__(self, client: Fetcher) -> None:
        self.client = client
        self.fetched: Fetched | None = None

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Fetched:
        """The wrapped client's response, remembered."""
        self.fetched = self.client.get(url, headers=headers)
        return self.fetched


def entry_ids(fetched: Fetched | None, state: FeedState) -> dict[ArticleIn, str]:
    """Each entry's feed id, keyed by the ArticleIn poll made of it (poll drops the ids)."""
    if fetched is None:
        return {}
    parsed = parse_feed(fetched.content, url=state.url, content_type=fetched.headers)
    source = parsed.feed.get("title") or state.title
    ids = {entry_to_article(item, source=source): item.get("id") for item in parsed.entries}
    return {article: str(i) for article, i in ids.items() if article is not None and i}


def due_feed_ids(session: Session, now: datetime, *, every: bool = False) -> list[int]:
    """Feeds due at ``now`` (never polled first, then the longest overdue); all with ``every``."""
    statement = select(Feed.id).order_by(col(Feed.next_poll_at).nulls_first(), col(Feed.id))
    if not every:
        statement = statement.where(due_clause(now))
    return [feed_id for feed_id in session.exec(statement).all() if feed_id is not None]


def due_clause(now: datetime) -> Any:
    """Feeds whose next poll is not set or not in the future."""
    return or_(col(Feed.next_poll_at).is_(None), col(Feed.next_poll_at) <= now)


def claim(session: Session, feed_id: int, now: datetime, *, every: bool = False) -> bool:
    """Push the feed's next poll CLAIM ahead if it is still due: True when this caller won it."""
    statement = update(Feed).where(col(Feed.id) == feed_id)
    if not every:
        statement = statement.where(due_clause(now))
    result = session.execute(statement.values(next_poll_at=now + CLAIM))
    return isinstance(result, CursorResult) and result.rowcount == 1


def poll_due_feeds(
    engine: Engine,
    client: Fetcher,
    now: datetime,
    *,
    max_bytes: int = MAX_ARTICLE_BYTES,
    recent: RecentArticles | None = None,
    every: bool = False,
    follow_links: bool = False,
) -> FeedsReport:
    """Poll every due feed (every feed with ``every``) and queue its new entries."""
    with Session(engine) as session:
        feed_ids = due_feed_ids(session, now, every=every)
    polled = [
        poll_feed(
            engine,
            client,
            feed_id,
            now,
            max_bytes=max_bytes,
            recent=recent,
            every=every,
            follow_links=follow_links,
        )
        for feed_id in feed_ids
    ]
    return FeedsReport(tuple(p for p in polled if p is not None))


def poll_feed(
    engine: Engine,
    client: Fetcher,
    feed_id: int,
    now: datetime,
    *,
    max_bytes: int = MAX_ARTICLE_BYTES,
    recent: RecentArticles | None = None,
    every: bool = False,
    follow_links: bool = False,
) -> FeedPolled | None:
    """Claim, fetch and store one feed; None when another worker claimed it or it is gone."""
    try:
        with Session(engine) as session, session.begin():
            feed = session.get(Feed, feed_id) if claim(session, feed_id, now, every=every) else None
            state = load_state(session, feed) if feed is not None else None
        if state is None:
            return None
        recorder = Recorder(client)  # the fetch holds no transaction (nor SQLite's write lock)
        result = poll(state, recorder, now)
        ids = entry_ids(recorder.fetched, state) if result.entries else {}
        with Session(engine) as session, session.begin():
            feed = session.get(Feed, feed_id)
            if feed is None:  # removed while it was fetched
                return None
            polled = store_entries(session, feed_id, result, ids, now=now, max_bytes=max_bytes,
                                   recent=recent, follow_links=follow_links)  # fmt: skip
            save_state(feed, result.state, now=now)
        return polled
    # Whatever one feed does (a parser bug on odd XML, a deadlock, a constraint) is recorded on
    # that feed with the usual backoff and logged; the round goes on with the other feeds.
    except Exception as err:
        log.exception("feed %d: poll failed", feed_id)
        return record_failure(engine, feed_id, now, err)


def store_entries(
    session: Session,
    feed_id: int,
    result: PollResult,
    ids: dict[ArticleIn, str],
    *,
    now: datetime,
    max_bytes: int,
    recent: RecentArticles | None,
    follow_links: bool = False,
) -> FeedPolled:
    """Queue a poll's new entries: a link stored before (unless shared) or a stored text is a
    duplicate, an unusable entry is rejected with its reason; with ``follow_links`` an entry
    without its full text waits for its page (``to_fetch``). The caller commits."""
    new, duplicates, rejected = 0, result.duplicates, list(result.rejected)
    for article in result.entries:
        if linked_before(session, article, result.state):
            duplicates += 1
            continue
        what = f"{result.state.url} entry {ids.get(article) or article.url or article.title}"
        link = to_fetch(article, result.state) if follow_links else None
        try:
            if link is not None:
                enqueued = intake.enqueue_fetch(
                    session, article, url=link, now=now, max_bytes=max_bytes, feed_id=feed_id,
                    entry_id=ids.get(article),
                )  # fmt: skip
            else:
                enqueued = intake.enqueue(
                    session, article, now=now, max_bytes=max_bytes, recent=recent,
                    feed_id=feed_id, entry_id=ids.get(article), what=what,
                )  # fmt: skip
        except BadArticle as err:  # raised before anything is written
            rejected.append(str(err))
            continue
        new += enqueued.created
        duplicates += not enqueued.created
    error = f"{result.error.code}: {result.error}" if result.error else None
    return FeedPolled(
        feed_id, result.state.url, result.outcome, new, duplicates, tuple(rejected), error
    )


def to_fetch(article: ArticleIn, state: FeedState) -> str | None:
    """The link to fetch an entry's story from: its own link when its text is short of a story
    (a link several entries share names no one story: the entry is used as it is)."""
    if not article.url or f"shared:{article.url}" in state.seen:
        return None
    return article.url if len(article.text.split()) < FULL_TEXT_WORDS else None


def linked_before(session: Session, article: ArticleIn, state: FeedState) -> bool:
    """Whether another article (from any source) already has this entry's own link, or has it
    (tracking parameters removed) as its canonical URL."""
    if not article.url or f"shared:{article.url}" in state.seen:
        return False
    same = or_(
        col(Article.url) == article.url, col(Article.canonical_url) == clean_url(article.url)
    )
    found = session.exec(select(Article.id).where(same).limit(1)).first()
    return found is not None


def record_failure(engine: Engine, feed_id: int, now: datetime, err: Exception) -> FeedPolled:
    """One more failure on the feed, backed off as poll would; the report of it."""
    error = f"{getattr(err, 'code', type(err).__name__)}: {err}"
    url = ""
    try:
        with Session(engine) as session, session.begin():
            feed = session.get(Feed, feed_id)
            if feed is not None:
                url = feed.url
                state = FeedState(url, interval=timedelta(seconds=feed.interval_seconds))
                feed.errors += 1
                feed.last_error = error
                feed.next_poll_at = now + backoff(state, feed.errors)
                feed.last_polled_at = now
    except Exception:  # the store itself is failing: the claim expires and the feed is retried
        log.exception("feed %d: could not record the failure", feed_id)
    return FeedPolled(feed_id, url, "error", error=error)
