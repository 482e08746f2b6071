"""Feed polling against the real saved feeds, served from a local HTTP server."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from corpus.errors import BadFeed, BadStatus, BlockedAddress, TooLarge
from corpus.http import Fetched, HttpClient, HttpOptions
from corpus.sources.feeds import (
    MAX_BACKOFF,
    FeedState,
    is_due,
    poll,
    retry_after,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LAST_MODIFIED = "Sat, 04 Feb 2023 06:00:00 GMT"
FEEDS = [
    # file, entries, feed title, first and last item date (publisher's time zone)
    ("wsj_markets_2023-02-04.xml", 20, "WSJ.com: Markets", date(2023, 2, 2), date(2023, 2, 4)),
    ("cnbc_finance_2019-07-29.xml", 30, "Finance", date(2019, 7, 25), date(2019, 7, 29)),
    (
        "reuters_business_2019-01-19.xml",
        20,
        "Reuters: Business News",
        date(2019, 1, 18),
        date(2019, 1, 19),
    ),
    (  # 30 items; two weekly briefs share the headline "Stocks to watch next week" and carry
        # no summary, so their content is identical: the content hash keeps one (as the store would)
        "seekingalpha_msft_2017-10-26.xml",
        29,
        "Microsoft Corporation - News and Analysis on Seeking Alpha",
        date(2017, 10, 9),
        date(2017, 10, 26),
    ),
]


class FeedHandler(BaseHTTPRequestHandler):
    """/feeds/NAME (ETag + Last-Modified, 304), /plain/NAME (no validators), /rate/VALUE (429),
    /malformed, /page (HTML), /private (redirect to 10.0.0.1), /big, /down (500)."""

    feeds_dir: Path
    requests: list[dict[str, str]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.requests.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        kind, _, arg = self.path.strip("/").partition("/")
        if kind in ("feeds", "plain"):
            body = (self.feeds_dir / arg).read_bytes()
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if kind == "feeds" and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED} if kind == "feeds" else {}
            self.reply(200, body, **validators)
        elif kind == "rate":
            self.reply(429, b"slow down", **{"Retry-After": arg.replace("%20", " ")})
        elif kind == "malformed":
            self.reply(200, b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>")
        elif kind == "page":
            self.reply(200, b"<html><body><p>Not a feed.</p></body></html>", mime="text/html")
        elif kind == "private":
            self.reply(302, b"", Location="http://10.0.0.1/feed.xml")
        elif kind == "big":
            self.reply(200, b"<rss>" + b" " * 200_000)
        else:
            self.reply(500, b"down")

    def reply(
        self, status: int, body: bytes, mime: str = "application/rss+xml", **headers: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(shared_dir: Path) -> Iterator[tuple[str, list[dict[str, str]]]]:
    requests: list[dict[str, str]] = []
    handler = type(
        "Handler", (FeedHandler,), {"feeds_dir": shared_dir / "feeds", "requests": requests}
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(HttpOptions(allow_loopback=True, max_bytes=100_000, timeout=2.0)) as http:
        yield http


@pytest.mark.parametrize(("name", "count", "title", "first", "last"), FEEDS)
def test_poll_reads_real_feeds(
    server: tuple[str, list[dict[str, str]]],
    client: HttpClient,
    name: str,
    count: int,
    title: str,
    first: date,
    last: date,
) -> None:
    result = poll(FeedState(url=f"{server[0]}/plain/{name}"), client, NOW)
    assert (result.outcome, result.error, len(result.entries)) == ("ok", None, count)
    assert {entry.source for entry in result.entries} == {title}
    assert all(entry.text and entry.title and entry.url for entry in result.entries)
    assert not any("<" in entry.text or "&#" in entry.text for entry in result.entries)
    dates = [entry.published for entry in result.entries]
    assert (min(d for d in dates if d), max(d for d in dates if d)) == (first, last)
    assert result.state.next_poll_at == NOW + result.state.interval
    assert result.state.title == title


def test_poll_entry_fields_from_summary_html(
    server: tuple[str, list[dict[str, str]]], client: HttpClient
) -> None:
    url = f"{server[0]}/plain/reuters_business_2019-01-19.xml"
    newest = poll(FeedState(url=url), client, NOW).entries[-1]
    assert newest.title == "Supermarket retailer Casino to sell six stores to rival Leclerc"
    assert newest.text.endswith("for 100.5 million euros (114 million).")  # no feedflare links
    assert newest.url is not None
    assert newest.url.startswith("https://www.reuters.com/article/")
    assert newest.published == date(2019, 1, 19)


def test_poll_conditional_get_gives_304_and_no_entries(
    server: tuple[str, list[dict[str, str]]], client: HttpClient
) -> None:
    base, requests = server
    first = poll(FeedState(url=f"{base}/feeds/cnbc_finance_2019-07-29.xml"), client, NOW)
    assert first.state.etag
    assert first.state.modified == LAST_MODIFIED
    later = NOW + timedelta(minutes=20)
    second = poll(first.state, client, later)
    assert requests[-1]["if-none-match"] == first.state.etag
    assert requests[-1]["if-modified-since"] == LAST_MODIFIED
    assert (second.outcome, second.entries) == ("not_modified", [])
    assert second.state.next_poll_at == later + second.state.interval
    assert second.state.seen == first.state.seen


def test_poll_dedups_entries_already_seen(
    server: tuple[str, list[dict[str, str]]], client: HttpClient
) -> None:
    state = FeedState(url=f"{server[0]}/plain/wsj_markets_2023-02-04.xml")
    first = poll(state, client, NOW)
    second = poll(first.state, client, NOW + timedelta(hours=1))
    assert (len(first.entries), second.outcome, second.entries) == (20, "ok", [])
    assert second.duplicates == 20


ERRORS = [
    # path, error class, message fragment
    ("/malformed", BadFeed, "malformed feed"),
    ("/page", BadFeed, "not an RSS or Atom feed"),
    ("/private", BlockedAddress, "10.0.0.1"),
    ("/big", TooLarge, "over 100000 bytes"),
    ("/down", BadStatus, "HTTP 500"),
    ("/rate/soon", BadStatus, "HTTP 429"),  # unreadable Retry-After: plain backoff
]


@pytest.mark.parametrize(("path", "error", "fragment"), ERRORS)
def test_poll_errors_back_off_without_raising(
    server: tuple[str, list[dict[str, str]]],
    client: HttpClient,
    path: str,
    error: type[Exception],
    fragment: str,
) -> None:
    state = FeedState(url=f"{server[0]}{path}", failures=2)
    result = poll(state, client, NOW)
    assert (result.outcome, result.entries) == ("error", [])
    assert isinstance(result.error, error)
    assert fragment in str(result.error)
    assert result.state.failures == 3
    assert result.state.last_error is not None
    assert result.state.last_error.startswith(f"{result.error.code}: ")
    assert result.state.next_poll_at == NOW + state.interval * 8


@pytest.mark.parametrize(
    ("retry", "wait"),
    [
        ("3600", timedelta(hours=1)),
        ("60", timedelta(minutes=15)),  # never sooner than the feed's own interval
        ("Mon,%2002%20Mar%202026%2014:00:00%20GMT", timedelta(hours=2)),
        ("999999", timedelta(days=1)),  # capped
    ],
)
def test_poll_honours_retry_after(
    server: tuple[str, list[dict[str, str]]], client: HttpClient, retry: str, wait: timedelta
) -> None:
    result = poll(FeedState(url=f"{server[0]}/rate/{retry}"), client, NOW)
    assert (result.outcome, result.entries, result.state.failures) == ("rate_limited", [], 1)
    assert result.state.next_poll_at == NOW + wait


def test_poll_backoff_doubles_then_caps_and_success_resets(
    server: tuple[str, list[dict[str, str]]], client: HttpClient
) -> None:
    state = FeedState(url=f"{server[0]}/down")
    waits = []
    for _ in range(7):
        state = poll(state, client, NOW).state
        assert state.next_poll_at is not None
        waits.append(state.next_poll_at - NOW)
    minutes = [int(wait.total_seconds() // 60) for wait in waits]
    assert minutes == [30, 60, 120, 240, 360, 360, 360]
    assert waits[-1] == MAX_BACKOFF
    healthy = poll(
        replace(state, url=f"{server[0]}/plain/cnbc_finance_2019-07-29.xml"), client, NOW
    )
    assert (healthy.state.failures, healthy.state.last_error) == (0, None)


def item(guid: str, link: str, text: str) -> str:
    fields = f"<guid>{guid}</guid><link>{link}</link><title>T</title>"
    return f"<item>{fields}<description>{text}</description></item>"


def rss(*items: str) -> bytes:
    channel = "<channel><title>F</title>" + "".join(items) + "</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>".encode()


class Twin:
    """An in-memory Fetcher: each get returns the next body."""

    def __init__(self, *bodies: bytes) -> None:
        self.bodies = list(bodies)

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Fetched:
        return Fetched(url, 200, {"content-type": "application/rss+xml"}, self.bodies.pop(0))


FIRST = item("g1", "https://x.test/a", "Stocks rose 2% on Tuesday.")
DEDUP = [
    # the same story seen again as..., new entries
    (item("g1", "https://x.test/b", "Edited text."), 0),  # same id
    (item("g2", "https://x.test/a", "Edited text."), 0),  # same link
    (item("g3", "https://x.test/c", "Stocks  rose 2% on TUESDAY."), 0),  # same content
    (item("g4", "https://x.test/d", "Bonds fell."), 1),  # a new story
]


@pytest.mark.parametrize(("again", "new"), DEDUP)
def test_poll_dedups_by_id_link_and_content_hash(again: str, new: int) -> None:
    first = poll(FeedState(url="https://x.test/feed"), Twin(rss(FIRST)), NOW)
    second = poll(first.state, Twin(rss(again)), NOW)
    assert len(first.entries) == 1
    assert (len(second.entries), second.duplicates) == (new, 1 - new)


def test_poll_ignores_links_shared_by_several_entries() -> None:
    shared = "https://x.test/news"
    body = rss(item("g1", shared, "One."), item("g2", shared, "Two."))
    first = poll(FeedState(url="https://x.test/feed"), Twin(body), NOW)
    later = poll(first.state, Twin(rss(item("g3", shared, "Three."))), NOW)
    assert [e.text for e in first.entries + later.entries] == ["Two.", "One.", "Three."]


def test_poll_rejects_entries_without_text() -> None:
    body = rss("<item><guid>g9</guid></item>", item("g1", "https://x.test/a", "Text."))
    result = poll(FeedState(url="https://x.test/feed"), Twin(body), NOW)
    assert len(result.entries) == 1
    assert result.rejected == ["entry g9: no title or text"]


def test_feed_state_round_trips_through_json() -> None:
    state = FeedState(
        url="https://x.test/feed",
        interval=timedelta(minutes=5),
        etag='"e"',
        modified=LAST_MODIFIED,
        next_poll_at=NOW,
        failures=2,
        last_error="bad_feed: x",
        seen=("id:1", "hash:ab"),
    )
    assert FeedState.from_dict(json.loads(json.dumps(state.to_dict()))) == state


@pytest.mark.parametrize(
    ("next_poll_at", "due"), [(None, True), (NOW, True), (NOW + timedelta(seconds=1), False)]
)
def test_is_due_compares_next_poll(next_poll_at: datetime | None, due: bool) -> None:
    assert is_due(FeedState(url="u", next_poll_at=next_poll_at), NOW) is due


@pytest.mark.parametrize(
    ("value", "wait"),
    [
        ("120", timedelta(minutes=2)),
        (" 0 ", timedelta(0)),
        ("Mon, 02 Mar 2026 12:30:00 GMT", timedelta(minutes=30)),
        ("Mon, 02 Mar 2026 11:00:00 GMT", timedelta(0)),  # in the past: now
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_reads_seconds_and_dates(value: str, wait: timedelta | None) -> None:
    assert retry_after(value, NOW) == wait
