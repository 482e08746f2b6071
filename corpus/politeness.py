"""Politeness per host: one request per host per interval, waits a server asks for, backoff on
errors, and robots.txt (RFC 9309) fetched, honoured and cached.

``HostGate`` is shared by the fetch threads of one worker process: ``turn(host)`` blocks until
the host may be asked again and books the next slot, so two threads never ask one host within an
interval while different hosts go in parallel. ``Robots`` keeps each host's parsed robots.txt for
a day and revalidates it with a conditional GET. Both are per process: workers in several
processes each keep their own clock per host.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from corpus.errors import FetchError
from corpus.sources.feeds import Fetcher
from corpus.urls import host_of

log = logging.getLogger(__name__)

ROBOTS_AGENT = "newsclaims"  # the token robots.txt groups are matched on
# robots.txt is re-read after this long (RFC 9309 asks crawlers not to cache it over 24 hours).
ROBOTS_SECONDS = 24 * 3600.0
# An unreachable robots.txt (5xx, network) is asked again after this long; meanwhile the host is
# treated as disallowing everything (RFC 9309 2.3.1.4) and its pages wait.
ROBOTS_RETRY_SECONDS = 600.0
# The longest a host's errors push its next request back (interval * 2**failures, capped).
MAX_HOST_BACKOFF = 3600.0
Clock = Callable[[], float]


@dataclass(slots=True)
class HostClock:
    """One host's next free slot (a monotonic time) and its consecutive failures."""

    next_at: float = 0.0
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class HostGate:
    """At most one request per host per ``interval`` seconds; hosts wait apart."""

    def __init__(self, *, interval: float, clock: Clock = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._hosts: dict[str, HostClock] = {}
        self._lock = threading.Lock()
        self.delays: dict[str, float] = {}  # a robots.txt Crawl-delay over the interval

    def _host(self, host: str) -> HostClock:
        with self._lock:
            return self._hosts.setdefault(host, HostClock())

    def wait_for(self, host: str) -> float:
        """Seconds until ``host`` may be asked again (0: now)."""
        return max(self._host(host).next_at - self._clock(), 0.0)

    def turn(self, host: str) -> None:
        """Block until ``host`` may be asked, and book the slot after this request."""
        state = self._host(host)
        with state.lock:
            wait = state.next_at - self._clock()
            if wait > 0:
                time.sleep(wait)
            step = max(self.interval, self.delays.get(host, 0.0))
            state.next_at = self._clock() + step

    def hold(self, host: str, seconds: float) -> None:
        """Ask ``host`` nothing for ``seconds`` (a Retry-After)."""
        state = self._host(host)
        state.next_at = max(state.next_at, self._clock() + seconds)

    def succeeded(self, host: str) -> None:
        """The host answered: its backoff ends."""
        self._host(host).failures = 0

    def failed(self, host: str) -> None:
        """The host failed once more: its next slot moves back exponentially."""
        state = self._host(host)
        state.failures += 1
        self.hold(host, min(self.interval * 2**state.failures, MAX_HOST_BACKOFF))


@dataclass(slots=True)
class RobotsEntry:
    """One host's parsed robots.txt, when it was read, and its validators."""

    parser: urllib.robotparser.RobotFileParser
    read_at: float
    etag: str | None = None
    modified: str | None = None
    reachable: bool = True


class Robots:
    """robots.txt per host, fetched through the gate and the guarded client, cached."""

    def __init__(self, client: Fetcher, gate: HostGate, *, clock: Clock = time.monotonic) -> None:
        self._client, self._gate, self._clock = client, gate, clock
        self._entries: dict[str, RobotsEntry] = {}
        self._lock = threading.Lock()
        self.fetches = 0

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url``; FetchError while it is unreachable."""
        host = host_of(url)
        entry = self._entry(url, host)
        if not entry.reachable:
            raise FetchError(f"{host}: robots.txt is unreachable; its pages wait")
        return entry.parser.can_fetch(ROBOTS_AGENT, url)

    def _entry(self, url: str, host: str) -> RobotsEntry:
        with self._lock:
            entry = self._entries.get(host)
        age = self._clock() - entry.read_at if entry else float("inf")
        limit = ROBOTS_SECONDS if entry is None or entry.reachable else ROBOTS_RETRY_SECONDS
        if entry is None or age >= limit:
            entry = self._read(url, host, entry)
            with self._lock:
                self._entries[host] = entry
        return entry

    def _read(self, url: str, host: str, old: RobotsEntry | None) -> RobotsEntry:
        """Fetch robots.txt (conditionally when cached): 2xx parsed, 304 kept, other 4xx allow
        everything, 5xx and network errors make the host unreachable for a while."""
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        headers = {}
        if old is not None and old.etag:
            headers["If-None-Match"] = old.etag
        if old is not None and old.modified:
            headers["If-Modified-Since"] = old.modified
        self._gate.turn(host)
        self.fetches += 1
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            fetched = self._client.get(robots_url, headers=headers)
        except FetchError as err:
            log.warning("%s: robots.txt unreachable: %s", host, err)
            return RobotsEntry(parser, self._clock(), reachable=False)
        if fetched.status == 304 and old is not None:
            return RobotsEntry(old.parser, self._clock(), old.etag, old.modified)
        if fetched.status >= 500 or fetched.status == 429:
            return RobotsEntry(parser, self._clock(), reachable=False)
        lines = fetched.content.decode("utf-8", "replace").splitlines()
        parser.parse(lines if 200 <= fetched.status < 300 else [])
        delay = parser.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._gate.delays[host] = float(delay)
        etag, modified = fetched.headers.get("etag"), fetched.headers.get("last-modified")
        return RobotsEntry(parser, self._clock(), etag, modified)
