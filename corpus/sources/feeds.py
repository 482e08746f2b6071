"""RSS/Atom feeds: `poll(state, client, now)` -> new entries as ArticleIn and the feed's next state.

Pure apart from the one HTTP GET: the caller stores FeedState (to_dict/from_dict) and decides when
to call poll (`is_due`). poll never raises for a feed's faults (network, status, malformed XML): it
returns no entries, the error, and a state that backs off exponentially, so no feed is given up on.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Protocol

import feedparser

from corpus.errors import BadFeed, BadStatus, CorpusError, FetchError
from corpus.feed_intervals import DEFAULT_INTERVAL
from corpus.http import Fetched
from corpus.sources import ArticleIn
from corpus.sources.files import html_fragment_to_text

log = logging.getLogger(__name__)

# Backoff after n consecutive failures is interval * 2**n, capped: a feed that is down for a day
# is still tried every 6 hours, never dropped.
MAX_BACKOFF = timedelta(hours=6)
# A Retry-After longer than this is treated as this (a misconfigured server must not park a feed).
MAX_RETRY_AFTER = timedelta(days=1)
# Dedup keys remembered per feed (id, link and hash per entry): 100 polls' worth of a 30-item feed
# would be 9,000; feeds keep their last 20-100 items, so 3,000 keys cover every item still listed.
MAX_SEEN = 3_000
# Benign bozo flags: a wrong declared encoding or content type still parses to a correct feed.
BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)

Outcome = Literal["ok", "not_modified", "rate_limited", "error"]


class Fetcher(Protocol):
    """What poll needs from corpus.http.HttpClient (tests may pass a twin)."""

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Fetched: ...


@dataclass(frozen=True, slots=True)
class FeedState:
    """Everything poll needs to remember about one feed between polls."""

    url: str
    interval: timedelta = DEFAULT_INTERVAL
    title: str | None = None
    etag: str | None = None
    modified: str | None = None  # the Last-Modified value, sent back verbatim
    next_poll_at: datetime | None = None  # None: due now
    failures: int = 0  # consecutive; 0 after any good poll
    last_error: str | None = None  # "code: message" of the last failure
    seen: tuple[str, ...] = ()  # "id:..", "link:..", "hash:.." keys, oldest first

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes ISO, interval in seconds)."""
        return {
            "url": self.url,
            "interval": self.interval.total_seconds(),
            "title": self.title,
            "etag": self.etag,
            "modified": self.modified,
            "next_poll_at": self.next_poll_at.isoformat() if self.next_poll_at else None,
            "failures": self.failures,
            "last_error": self.last_error,
            "seen": list(self.seen),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedState:
        """The inverse of to_dict."""
        next_poll_at = data.get("next_poll_at")
        return cls(
            url=data["url"],
            interval=timedelta(seconds=data.get("interval", DEFAULT_INTERVAL.total_seconds())),
            title=data.get("title"),
            etag=data.get("etag"),
            modified=data.get("modified"),
            next_poll_at=datetime.fromisoformat(next_poll_at) if next_poll_at else None,
            failures=data.get("failures", 0),
            last_error=data.get("last_error"),
            seen=tuple(data.get("seen", ())),
        )


@dataclass(frozen=True, slots=True)
class PollResult:
    """New entries (oldest first), the state to store, and what happened."""

    entries: list[ArticleIn]
    state: FeedState
    outcome: Outcome
    error: CorpusError | None = None
    duplicates: int = 0
    rejected: list[str] = field(default_factory=list)  # one reason per unusable entry


def is_due(state: FeedState, now: datetime) -> bool:
    """Whether the feed should be polled at `now`."""
    return state.next_poll_at is None or state.next_poll_at <= now


def backoff(state: FeedState, failures: int) -> timedelta:
    """The wait after `failures` consecutive failures: interval * 2**failures, capped."""
    wait: timedelta = state.interval * 2 ** min(failures, 30)
    return min(wait, max(MAX_BACKOFF, state.interval))


def poll(state: FeedState, client: Fetcher, now: datetime) -> PollResult:
    """One conditional GET of the feed; never raises for the feed's own faults."""
    try:
        fetched = client.get(state.url, headers=conditional_headers(state))
    except FetchError as err:
        return failed(state, now, err)
    if fetched.status == 304:
        return PollResult([], succeeded(state, now, fetched), "not_modified")
    if fetched.status in (429, 503) and "retry-after" in fetched.headers:
        return rate_limited(state, now, fetched)
    if fetched.status == 429:
        return failed(state, now, BadStatus(f"{state.url}: HTTP 429 Too Many Requests", status=429))
    if not 200 <= fetched.status < 300:
        error = BadStatus(f"{state.url}: HTTP {fetched.status}", status=fetched.status)
        return failed(state, now, error)
    try:
        parsed = parse_feed(fetched.content, url=state.url, content_type=fetched.headers)
    except BadFeed as err:
        return failed(state, now, err)
    title = parsed.feed.get("title") or state.title
    entries, rejected, duplicates, seen = new_entries(parsed.entries, state.seen, source=title)
    after = replace(succeeded(state, now, fetched), title=title, seen=seen)
    return PollResult(entries, after, "ok", duplicates=duplicates, rejected=rejected)


def conditional_headers(state: FeedState) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from the last good response."""
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
    }
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.modified:
        headers["If-Modified-Since"] = state.modified
    return headers


def succeeded(state: FeedState, now: datetime, fetched: Fetched) -> FeedState:
    """After a good poll: failures cleared, next poll one interval on, validators kept for the next
    conditional GET (a response that omits ETag or Last-Modified keeps the old one)."""
    return replace(
        state,
        etag=fetched.headers.get("etag", state.etag),
        modified=fetched.headers.get("last-modified", state.modified),
        failures=0,
        last_error=None,
        next_poll_at=now + state.interval,
    )


def failed(state: FeedState, now: datetime, error: CorpusError) -> PollResult:
    """No entries; one more failure and the next poll pushed back exponentially."""
    failures = state.failures + 1
    log.warning("feed %s failed (%d in a row): %s", state.url, failures, error)
    after = replace(
        state,
        failures=failures,
        last_error=f"{error.code}: {error}",
        next_poll_at=now + backoff(state, failures),
    )
    return PollResult([], after, "error", error=error)


def rate_limited(state: FeedState, now: datetime, fetched: Fetched) -> PollResult:
    """429/503 with Retry-After: wait what the server asks (at least one interval)."""
    error = BadStatus(
        f"{state.url}: HTTP {fetched.status}, retry after {fetched.headers['retry-after']}",
        status=fetched.status,
    )
    wait = retry_after(fetched.headers["retry-after"], now)
    if wait is None:
        return failed(state, now, error)
    after = replace(
        state,
        failures=state.failures + 1,
        last_error=f"{error.code}: {error}",
        next_poll_at=now + min(max(wait, state.interval), MAX_RETRY_AFTER),
    )
    return PollResult([], after, "rate_limited", error=error)


def retry_after(value: str, now: datetime) -> timedelta | None:
    """A Retry-After (seconds or an HTTP date) as a wait from now; None if unreadable."""
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # HTTP dates are GMT
    return max(when - now, timedelta(0))


def parse_feed(content: bytes, *, url: str, content_type: Any = None) -> Any:
    """feedparser's result, or BadFeed for malformed XML and for documents that are not feeds."""
    headers = {"content-type": content_type.get("content-type", "")} if content_type else {}
    parsed = feedparser.parse(content, response_headers=headers)
    if parsed.bozo and not isinstance(parsed.get("bozo_exception"), BENIGN_BOZO):
        cause = parsed.get("bozo_exception")
        raise BadFeed(f"{url}: malformed feed ({type(cause).__name__}: {cause})")
    if not parsed.version:
        raise BadFeed(f"{url}: not an RSS or Atom feed")
    return parsed


def new_entries(
    items: Iterable[Any], seen: tuple[str, ...], *, source: str | None
) -> tuple[list[ArticleIn], list[str], int, tuple[str, ...]]:
    """Entries none of whose keys were seen; the rejected; the duplicate count; the new seen."""
    items = list(items)
    known = set(seen)
    links = Counter(entry_link(item) for item in items)
    # A link several entries share (Seeking Alpha points every news brief at the symbol's news
    # page) names no one entry: it is remembered as shared and never used as a key.
    added = [f"shared:{link}" for link, n in links.items() if link and n > 1]
    added = [key for key in added if key not in known]
    known.update(added)
    articles: list[ArticleIn] = []
    rejected: list[str] = []
    duplicates = 0
    # Feeds list newest first; return oldest first so stored order follows publication.
    for item in reversed(items):
        article = entry_to_article(item, source=source)
        if article is None:
            rejected.append(f"entry {item.get('id') or entry_link(item) or '?'}: no title or text")
            continue
        keys = dedup_keys(item, article, known=known)
        if known.intersection(keys):
            duplicates += 1
        else:
            articles.append(article)
        fresh = [key for key in keys if key not in known]
        known.update(fresh)
        added.extend(fresh)
    return articles, rejected, duplicates, (seen + tuple(added))[-MAX_SEEN:]


def dedup_keys(item: Any, article: ArticleIn, *, known: set[str]) -> list[str]:
    """The keys an entry is known by: its id, its link (unless shared) and a hash of its text."""
    text = " ".join(f"{article.title or ''} {article.text}".lower().split())
    keys = [f"hash:{hashlib.sha256(text.encode()).hexdigest()[:32]}"]
    if item.get("id"):
        keys.append(f"id:{item['id']}")
    if article.url and f"shared:{article.url}" not in known:
        keys.append(f"link:{article.url}")
    return keys


def entry_link(item: Any) -> str | None:
    """The article's own URL: feedburner's original link before its tracking redirect."""
    return item.get("feedburner_origlink") or item.get("link") or None


def entry_to_article(item: Any, *, source: str | None) -> ArticleIn | None:
    """An ArticleIn from one feed entry (text: content, else summary, else the title)."""
    title = " ".join(html_fragment_to_text(item.get("title", "")).split()) or None
    text = ""
    for html in [c.get("value", "") for c in item.get("content", [])] + [item.get("summary", "")]:
        text = html_fragment_to_text(html)
        if text:
            break
    text = text or title or ""
    if not text:
        return None
    return ArticleIn(
        text, title, entry_date(item), source, entry_link(item), published_at=entry_time(item)
    )


def entry_date(item: Any) -> date | None:
    """The entry's date in the publisher's own time zone (what "on Tuesday" in it refers to)."""
    for name in ("published", "updated"):
        raw = item.get(name)
        if raw:
            with suppress(TypeError, ValueError):
                return parsedate_to_datetime(raw).date()  # RSS: RFC 822
            with suppress(ValueError):
                return datetime.fromisoformat(raw).date()  # Atom: RFC 3339
        parsed = item.get(f"{name}_parsed")
        if parsed:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    return None


def entry_time(item: Any) -> datetime | None:
    """The entry's published (else updated) time in UTC (feedparser's ``*_parsed``); None when
    the feed gives only a date."""
    for name in ("published", "updated"):
        parsed, raw = item.get(f"{name}_parsed"), str(item.get(name) or "").strip()
        if parsed and len(raw) > len("YYYY-MM-DD"):
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        if parsed or raw:
            return None
    return None
