"""Politeness per host, shared by every process: one request per host per interval, waits a
server asks for, backoff on errors, and robots.txt (RFC 9309) fetched, honoured and cached.

The state lives in the store (``fetch_hosts``, store/hosts.py), not in one process's memory, so
the fetch threads of every worker process (``newsclaims worker``, ``serve``) share it.
``HostGate.turn(host)`` books the host's next slot with one short conditional UPDATE, waiting
(and trying again) while another thread or process holds it; no transaction stays open while
it waits or while the request runs. ``Robots`` keeps each host's robots.txt in the same row for
a day, revalidated with a conditional GET; each process keeps only the parsed copy.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Engine
from sqlmodel import Session

from corpus.errors import FetchError, HostBusy
from corpus.sources.feeds import Fetcher
from corpus.urls import host_of
from store import hosts
from store.clock import utc_now
from store.hosts import RobotsRecord

log = logging.getLogger(__name__)

ROBOTS_AGENT = "newsclaims"  # the token robots.txt groups are matched on
# robots.txt is re-read after this long (RFC 9309 asks crawlers not to cache it over 24 hours).
ROBOTS_SECONDS = 24 * 3600.0
# An unreachable robots.txt (5xx, network) is asked again after this long; meanwhile the host is
# treated as disallowing everything (RFC 9309 2.3.1.4) and its pages wait.
ROBOTS_RETRY_SECONDS = 600.0
# The longest a host's errors push its next request back (interval * 2**failures, capped).
MAX_HOST_BACKOFF = 3600.0
# How long ``turn`` waits for a host before giving up (HostBusy): a host held longer (a
# Retry-After, a backoff, many processes queueing for it) hands its articles back rather than
# keeping a fetch thread asleep (chosen: a few intervals).
PATIENCE = 10.0
# The shortest sleep between two claims of a busy host: the slot's time, read from the store,
# may be a few milliseconds early for another process's clock.
MIN_SLEEP = 0.005
# A claim taking longer than this (seconds) books the next slot again (HostGate._anchor).
LATE = 0.01
Clock = Callable[[], datetime]


class HostGate:
    """At most one request per host per ``interval`` seconds across every process on the store;
    hosts wait apart."""

    def __init__(
        self, engine: Engine, *, interval: float, clock: Clock = utc_now, patience: float = PATIENCE
    ) -> None:
        self.interval, self.patience = interval, patience
        self._engine, self._clock = engine, clock
        self._failing: set[str] = set()  # hosts whose last claim saw failures
        self._lock = threading.Lock()

    def turn(self, host: str) -> None:
        """Block until ``host`` may be asked and book it (the next slot an interval later);
        HostBusy when it is not free within ``patience``."""
        give_up = time.monotonic() + self.patience
        while True:
            with Session(self._engine) as session, session.begin():
                claim = hosts.claim(session, host, clock=self._clock, interval=self.interval)
            if claim.booked:
                self._booked(host, claim)
                return
            wait = max((claim.next_at - self._clock()).total_seconds(), MIN_SLEEP)
            if time.monotonic() + wait > give_up:
                raise HostBusy(f"{host} is busy for {wait:.1f} s more", seconds=wait)
            time.sleep(wait)

    def _booked(self, host: str, claim: hosts.Claim) -> None:
        """Note whether the host was failing (``succeeded`` then clears it), and book again
        from now when the claim's commit was slow (a busy disk, a loaded machine), so the next
        request still waits a whole interval after this one really starts."""
        with self._lock:
            if claim.failures:
                self._failing.add(host)
            else:
                self._failing.discard(host)
        late = self._clock() - claim.now
        if late.total_seconds() > LATE:
            with Session(self._engine) as session, session.begin():
                hosts.push(session, host, until=claim.next_at + late)

    def hold(self, host: str, seconds: float) -> None:
        """Ask ``host`` nothing for ``seconds`` (a Retry-After, a backoff)."""
        until = self._clock() + timedelta(seconds=seconds)
        with Session(self._engine) as session, session.begin():
            hosts.hold(session, host, until=until)

    def succeeded(self, host: str) -> None:
        """The host answered: its backoff ends (a write only when it had failures)."""
        with self._lock:
            if host not in self._failing:
                return
            self._failing.discard(host)
        with Session(self._engine) as session, session.begin():
            hosts.succeeded(session, host)

    def failed(self, host: str) -> None:
        """The host failed once more: its next slot moves back exponentially."""
        with Session(self._engine) as session, session.begin():
            failures = hosts.failed(session, host)
        with self._lock:
            self._failing.add(host)
        self.hold(host, min(self.interval * 2**failures, MAX_HOST_BACKOFF))


@dataclass(frozen=True, slots=True)
class Parsed:
    """This process's parse of one robots.txt read (``read_at`` names the read)."""

    read_at: datetime
    parser: urllib.robotparser.RobotFileParser


def reachable(record: RobotsRecord) -> bool:
    """Whether the read found robots.txt's answer (a 5xx, a 429 or no answer: not)."""
    return record.status is not None and record.status < 500 and record.status != 429


class Robots:
    """robots.txt per host, fetched through the gate and the guarded client, kept in the store."""

    def __init__(
        self, client: Fetcher, gate: HostGate, engine: Engine, *, clock: Clock = utc_now
    ) -> None:
        self._client, self._gate, self._engine, self._clock = client, gate, engine, clock
        self._parsed: dict[str, Parsed] = {}
        self._lock = threading.Lock()
        self.fetches = 0

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url``; FetchError while it is unreachable, HostBusy
        when it must be read and the host stays busy."""
        host = host_of(url)
        record = self._record(url, host)
        if not reachable(record):
            raise FetchError(f"{host}: robots.txt is unreachable; its pages wait")
        return self._parser(host, record).can_fetch(ROBOTS_AGENT, url)

    def _fresh(self, record: RobotsRecord) -> bool:
        limit = ROBOTS_SECONDS if reachable(record) else ROBOTS_RETRY_SECONDS
        return (self._clock() - record.read_at).total_seconds() < limit

    def _stored(self, host: str) -> RobotsRecord | None:
        with Session(self._engine) as session:
            return hosts.robots(session, host)

    def _record(self, url: str, host: str) -> RobotsRecord:
        record = self._stored(host)
        if record is not None and self._fresh(record):
            return record
        self._gate.turn(host)
        again = self._stored(host)  # another process may have read it while we waited
        if again is not None and self._fresh(again):
            return again
        record = self._read(url, host, again)
        parser = self._parser(host, record)
        delay = parser.crawl_delay(ROBOTS_AGENT) if reachable(record) else None
        with Session(self._engine) as session, session.begin():
            hosts.save_robots(session, host, record, crawl_delay=float(delay) if delay else None)
        return record

    def _parser(self, host: str, record: RobotsRecord) -> urllib.robotparser.RobotFileParser:
        """The parse of ``record``, made once per read in this process: a 2xx body's rules,
        other 4xx allow everything."""
        with self._lock:
            parsed = self._parsed.get(host)
            if parsed is not None and parsed.read_at == record.read_at:
                return parsed.parser
        parser = urllib.robotparser.RobotFileParser()
        ok = record.status is not None and 200 <= record.status < 300
        parser.parse(record.body.splitlines() if ok else [])
        with self._lock:
            self._parsed[host] = Parsed(record.read_at, parser)
        return parser

    def _read(self, url: str, host: str, old: RobotsRecord | None) -> RobotsRecord:
        """Fetch robots.txt (conditionally when read before; the caller has the host's turn):
        a 304 keeps the old body, a network error makes the host unreachable for a while."""
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        headers = {}
        if old is not None and old.etag:
            headers["If-None-Match"] = old.etag
        if old is not None and old.modified:
            headers["If-Modified-Since"] = old.modified
        self.fetches += 1
        try:
            fetched = self._client.get(robots_url, headers=headers)
        except FetchError as err:
            log.warning("%s: robots.txt unreachable: %s", host, err)
            return RobotsRecord(None, "", None, None, self._clock())
        if fetched.status == 304 and old is not None:
            return RobotsRecord(old.status, old.body, old.etag, old.modified, self._clock())
        body = fetched.content.decode("utf-8", "replace")
        etag, modified = fetched.headers.get("etag"), fetched.headers.get("last-modified")
        return RobotsRecord(fetched.status, body, etag, modified, self._clock())
