"""The fetch stage: articles in state ``fetching`` -> their page fetched and read -> the queue.

``fetch_round`` leases due articles (a few per host), fetches each host's in turn under the
politeness rules (robots.txt, one request per host per interval, Retry-After, backoff) with
different hosts in parallel threads, and writes each outcome in its own transaction; no
transaction is open during a fetch. The politeness state is in the store (corpus/politeness.py),
so several worker processes share each host's pace. A fault of one article (a network error, an
odd page) is that article's: retried with a doubling backoff, then given up, keeping its teaser
as a partial article.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from corpus import fetch_queue
from corpus.dedup import RecentArticles
from corpus.errors import (
    BadArticle,
    BadUrl,
    BlockedAddress,
    FetchError,
    HostBusy,
    TooLarge,
    TooManyRedirects,
)
from corpus.fetch_queue import Pending
from corpus.http import Fetched
from corpus.pages import Page, read_page
from corpus.politeness import HostGate, Robots
from corpus.sources.feeds import Fetcher, retry_after
from store.errors import LeaseLost

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# Faults no retry mends: the address guard, a bad URL, an oversized page, a redirect loop.
PERMANENT = (BlockedAddress, BadUrl, TooLarge, TooManyRedirects)
# The longest a Retry-After is obeyed for one article (a misconfigured server must not park it).
MAX_RETRY_AFTER = timedelta(hours=6)
ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How articles are fetched (the NEWSCLAIMS_FETCH_* settings and the queue's)."""

    concurrency: int = 8  # hosts fetched at once
    per_host: int = 4  # articles of one host per round: a round lasts about per_host intervals
    batch: int = 64
    max_attempts: int = 3
    retry_seconds: float = 30.0
    lease_seconds: float = 300.0
    max_bytes: int = 2_000_000


@dataclass(slots=True)
class ArticleFetching:
    """A worker's fetch stage: the guarded client, the per-host gate and robots cache."""

    client: Fetcher
    gate: HostGate
    robots: Robots
    options: FetchOptions = field(default_factory=FetchOptions)
    recent: RecentArticles | None = None

    @classmethod
    def build(
        cls,
        client: Fetcher,
        engine: Engine,
        *,
        interval: float,
        options: FetchOptions,
        recent: RecentArticles | None = None,
    ) -> ArticleFetching:
        """A stage whose gate (``interval`` seconds per host) and robots.txt cache are the
        store's, shared with every other process on ``engine``."""
        gate = HostGate(engine, interval=interval)
        return cls(client, gate, Robots(client, gate, engine), options, recent)


def fetch_round(engine: Engine, fetching: ArticleFetching, clock: Clock) -> Counter[str]:
    """Fetch the due articles once; how many ended fetched, partial, duplicate, retried ..."""
    options = fetching.options
    with Session(engine) as session, session.begin():
        token, leased = fetch_queue.lease(
            session, now=clock(), limit=options.batch, per_host=options.per_host,
            lease_seconds=options.lease_seconds,
        )  # fmt: skip
    by_host: dict[str, list[Pending]] = defaultdict(list)
    for pending in leased:
        by_host[pending.host].append(pending)
    tally: Counter[str] = Counter()
    if not by_host:
        return tally
    with ThreadPoolExecutor(max_workers=min(options.concurrency, len(by_host))) as pool:
        for counted in pool.map(host_job(engine, fetching, token, clock), by_host.values()):
            tally.update(counted)
    return tally


def host_job(
    engine: Engine, fetching: ArticleFetching, token: str, clock: Clock
) -> Callable[[list[Pending]], Counter[str]]:
    """The per-host job of one round (a closure, so ``pool.map`` takes one argument)."""

    def run(articles: list[Pending]) -> Counter[str]:
        return fetch_host(engine, fetching, articles, token=token, clock=clock)

    return run


def fetch_host(
    engine: Engine, fetching: ArticleFetching, articles: list[Pending], *, token: str, clock: Clock
) -> Counter[str]:
    """One host's leased articles in turn; those left when the host is held are handed back."""
    tally: Counter[str] = Counter()
    for pending in articles:
        try:
            tally[fetch_one(engine, fetching, pending, token=token, clock=clock)] += 1
        except HostBusy as busy:  # held (Retry-After, backoff) or other processes queue for it
            with Session(engine) as session, session.begin():
                fetch_queue.release(
                    session, pending, token, at=clock() + timedelta(seconds=busy.seconds)
                )
            tally["released"] += 1
        except LeaseLost:
            tally["lost"] += 1
        except Exception:  # a bug met by this article: logged, its lease expires and it is retried
            log.exception("article %d: fetch failed unexpectedly", pending.id)
            tally["error"] += 1
    return tally


def fetch_one(
    engine: Engine, fetching: ArticleFetching, pending: Pending, *, token: str, clock: Clock
) -> str:
    """Fetch one article's page (no transaction open) and write the outcome; its name."""
    try:
        if not fetching.robots.allowed(pending.url):
            return give_up(engine, pending, token, "robots: disallowed by robots.txt", clock())
        fetching.gate.turn(pending.host)
        fetched = fetching.client.get(pending.url, headers={"Accept": ACCEPT})
    except PERMANENT as err:
        return give_up(engine, pending, token, f"{err.code}: {err}", clock())
    except FetchError as err:
        fetching.gate.failed(pending.host)
        return retry(engine, fetching, pending, token, f"{err.code}: {err}", clock())
    return answered(engine, fetching, pending, fetched, token=token, clock=clock)


def answered(
    engine: Engine,
    fetching: ArticleFetching,
    pending: Pending,
    fetched: Fetched,
    *,
    token: str,
    clock: Clock,
) -> str:
    """Write what the server answered: a page, a wait it asks for, or an error status."""
    now, host = clock(), pending.host
    status = fetched.status
    if status in (429, 503):
        wait = retry_after(fetched.headers.get("retry-after", ""), now)
        if wait is not None:
            wait = min(wait, MAX_RETRY_AFTER)
            fetching.gate.hold(host, wait.total_seconds())
            return retry(engine, fetching, pending, token, f"http: {status}", now, wait=wait)
    if status >= 500 or status == 429:
        fetching.gate.failed(host)
        return retry(engine, fetching, pending, token, f"http: {status}", now)
    if not 200 <= status < 300:
        return give_up(engine, pending, token, f"http: {status}", now)
    fetching.gate.succeeded(host)
    page = read_page(fetched.content, url=fetched.url)
    write = functools.partial(store, engine, fetching, pending, page, token, fetched.url, now)
    try:
        try:
            return write()
        except IntegrityError:  # another worker committed the same text (the story on another
            return write()  # site) meanwhile: written again, the page is that copy's duplicate
    except BadArticle as err:
        return give_up(engine, pending, token, fetch_queue.unusable(err), now)
    except (IntegrityError, OperationalError) as err:  # the race again, a deadlock
        return retry(engine, fetching, pending, token, f"store: {err.orig!r}", now)


def store(
    engine: Engine,
    fetching: ArticleFetching,
    pending: Pending,
    page: Page,
    token: str,
    final_url: str,
    now: datetime,
) -> str:
    """Write a fetched page in a transaction of its own (fetch_queue.store_page)."""
    with Session(engine) as session, session.begin():
        return fetch_queue.store_page(
            session, pending, page, token, final_url=final_url, now=now,
            max_bytes=fetching.options.max_bytes, recent=fetching.recent,
        )  # fmt: skip


def retry(
    engine: Engine,
    fetching: ArticleFetching,
    pending: Pending,
    token: str,
    error: str,
    now: datetime,
    *,
    wait: timedelta | None = None,
) -> str:
    """Another attempt later (the server's wait, else a doubling backoff), or give up."""
    options = fetching.options
    if pending.attempts + 1 >= options.max_attempts:
        return give_up(engine, pending, token, error, now)
    backoff = timedelta(seconds=options.retry_seconds * 2**pending.attempts)
    with Session(engine) as session, session.begin():
        fetch_queue.retry(session, pending, token, error=error, now=now, at=now + (wait or backoff))
    log.info("article %d: fetch retried later (%s)", pending.id, error)
    return "retried"


def give_up(engine: Engine, pending: Pending, token: str, error: str, now: datetime) -> str:
    """No page for this article: its teaser goes on as a partial article."""
    log.warning("article %d: %s: %s", pending.id, pending.url, error)
    with Session(engine) as session, session.begin():
        return fetch_queue.give_up(session, pending, token, error=error, now=now)
