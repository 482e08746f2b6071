"""The ingestion worker: lease a batch -> extract with nlp.pipe -> store and check -> complete.

Each article's facts, checks and new state are written in one transaction, so a worker killed at
any moment leaves either all of an article or none of it; an unfinished lease simply expires and
another worker (or this one, restarted) takes the article over. ``run`` returns when ``stop`` is
set (after the batch in hand) or, when draining, once nothing is queued or processing.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from spacy.language import Language
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlmodel import Session

from checker import check_claim
from checker.checking import Checking
from corpus import feed_polling
from corpus import fetching as fetching_stage
from corpus.feed_polling import FeedPolling
from corpus.fetching import ArticleFetching
from corpus.pool import ExtractorPool, Fault, Job
from extractor import Extraction, extract, extract_many
from marketdata.table import save_fetched
from store import alerts, queries, queue
from store.clock import utc_now
from store.errors import LeaseLost
from store.queue import Lease, Leased

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How a worker leases and retries (the NEWSCLAIMS_* settings of the same names)."""

    batch_size: int = 16
    lease_seconds: float = 300.0
    max_attempts: int = 3
    retry_seconds: float = 30.0
    poll_seconds: float = 1.0
    drain: bool = False


@dataclass(slots=True)
class Tally:
    """What one worker did."""

    batches: int = 0
    done: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    words: int = 0
    from_feeds: int = 0  # articles queued from feeds this worker polled
    fetched: int = 0  # pages fetched (whatever the outcome)
    errors: list[str] = field(default_factory=list)


def run(
    engine: Engine,
    nlp: Language | None,
    *,
    options: WorkerOptions,
    stop: threading.Event | None = None,
    checking: Checking | None = None,
    clock: Clock = utc_now,
    feeds: FeedPolling | None = None,
    pool: ExtractorPool | None = None,
    fetching: ArticleFetching | None = None,
) -> Tally:
    """Process batches until ``stop`` is set, or (draining) until the queue is empty; with
    ``feeds``, poll the due feeds between batches; with ``fetching``, fetch the pages of the
    articles waiting for one before each batch; with ``pool``, extract there under its
    per-article budget."""
    stop = stop or threading.Event()
    tally = Tally()
    log.info(
        "worker ready: batches of %d, leases of %.0f s", options.batch_size, options.lease_seconds
    )
    feeds_checked = -float("inf")
    while not stop.is_set():
        if feeds is not None and time.monotonic() - feeds_checked >= feeds.check_seconds:
            feeds_checked = time.monotonic()
            try:
                tally.from_feeds += poll_feeds(engine, feeds, clock())
            except Exception:  # a feed bug must not stop the articles: logged, tried next time
                log.exception("feed polling failed")
        if fetching is not None:
            fetch_pages(engine, fetching, clock, tally)
        with Session(engine) as session, session.begin():
            batch = queue.lease(
                session,
                limit=options.batch_size,
                now=clock(),
                lease_seconds=options.lease_seconds,
                max_attempts=options.max_attempts,
            )
            idle = batch is None and options.drain and queue.outstanding(session) == 0
        if batch is None:
            if idle:
                break
            stop.wait(options.poll_seconds)  # dead workers' leases expire meanwhile
            continue
        process_batch(
            engine, nlp, batch, options=options, checking=checking, clock=clock, tally=tally,
            pool=pool,
        )  # fmt: skip
    return tally


def fetch_pages(engine: Engine, fetching: ArticleFetching, clock: Clock, tally: Tally) -> None:
    """One fetch round (articles waiting for their page); a bug in it is logged, not raised."""
    try:
        counted = fetching_stage.fetch_round(engine, fetching, clock)
    except Exception:  # a fetch bug must not stop the extraction: logged, tried next time
        log.exception("fetching pages failed")
        return
    tally.fetched += sum(counted.values())
    if counted:
        log.info("fetched pages: %s", dict(counted))


def poll_feeds(engine: Engine, feeds: FeedPolling, now: datetime) -> int:
    """Poll the due feeds (each on its own; one feed's fault stays its own); articles queued."""
    report = feed_polling.poll_due_feeds(
        engine, feeds.client, now, max_bytes=feeds.max_bytes, recent=feeds.recent,
        follow_links=feeds.follow_links,
    )  # fmt: skip
    if report.feeds:
        log.info("polled %d feeds: %d new articles", len(report.feeds), report.new)
    return report.new


def extract_batch(nlp: Language, articles: tuple[Leased, ...]) -> list[Extraction | Exception]:
    """Extractions in order; when the batch fails, each article alone, so only the bad one fails."""
    items = [(a.text, a.dated) for a in articles]  # the published time when known
    try:
        return list(extract_many(items, nlp=nlp, batch_size=len(items)))
    except Exception:  # any extractor bug: isolate it below, article by article
        log.warning("batch extraction failed; extracting its %d articles one by one", len(items))
    results: list[Extraction | Exception] = []
    for text, published in items:
        try:
            results.append(extract(text, nlp=nlp, published=published))
        except Exception as err:  # recorded as the article's error and retried
            results.append(err)
    return results


def process_batch(
    engine: Engine,
    nlp: Language | None,
    batch: Lease,
    *,
    options: WorkerOptions,
    checking: Checking | None,
    clock: Clock,
    tally: Tally,
    pool: ExtractorPool | None = None,
) -> None:
    """Extract a leased batch (in ``pool`` under its budget when given, else in this process) and
    write each article in its own transaction; the lease is renewed while the batch lasts."""
    tally.batches += 1
    renew = Renewal(engine, batch.token, options.lease_seconds, clock)
    begin = functools.partial(start, engine, batch.token)
    by_id = {article.id: article for article in batch.articles}
    if pool is None:
        if nlp is None:
            raise ValueError("a worker needs an extractor pool or a pipeline")
        begin(list(by_id))
        results: Iterable[tuple[int, Extraction | Fault | Exception]] = zip(
            by_id, extract_batch(nlp, batch.articles), strict=True
        )
    else:
        jobs = [Job(a.id, a.text, a.dated) for a in batch.articles]
        results = pool.run(jobs, on_start=begin, heartbeat=renew)
    for article_id, result in results:
        finish(engine, by_id[article_id], result, token=batch.token, options=options,
               checking=checking, clock=clock, tally=tally)  # fmt: skip
        renew()


def finish(
    engine: Engine,
    article: Leased,
    result: Extraction | Fault | Exception,
    *,
    token: str,
    options: WorkerOptions,
    checking: Checking | None,
    clock: Clock,
    tally: Tally,
) -> None:
    """Store one article's result, or record its failure; whatever goes wrong with this article
    fails this article only, never the worker."""
    failing = functools.partial(fail, engine, article, token, options=options, clock=clock)
    try:
        if isinstance(result, Fault):
            failing(str(result), tally=tally, final=result.reason == "timeout")
        elif isinstance(result, Exception):
            failing(f"extractor: {result!r}", tally=tally)
        else:
            try:
                save(engine, article.id, result, token=token, checking=checking, now=clock())
            except (IntegrityError, DataError, OperationalError) as err:  # e.g. a deadlock
                failing(f"store: {err.orig!r}", tally=tally)
                return
            tally.done += 1
            tally.words += len(article.text.split())
    except LeaseLost:
        log.warning("article %d: lease lost to another worker; its result is dropped", article.id)
        tally.lost += 1
    except Exception as err:  # a bug met by this article (checker, store): it fails, we go on
        log.exception("article %d: unexpected error", article.id)
        try:
            failing(f"worker: {err!r}", tally=tally)
        except LeaseLost:
            tally.lost += 1


def start(engine: Engine, token: str, article_ids: list[int]) -> None:
    """Count an attempt on the articles about to be extracted (their own transaction)."""
    with Session(engine) as session, session.begin():
        queue.start(session, article_ids, token=token)


@dataclass(slots=True)
class Renewal:
    """Renews a batch's lease when a quarter of it has passed (called often, writes rarely)."""

    engine: Engine
    token: str
    lease_seconds: float
    clock: Clock
    last: float = field(default_factory=time.monotonic)

    def __call__(self) -> None:
        if time.monotonic() - self.last < self.lease_seconds / 4:
            return
        self.last = time.monotonic()
        with Session(self.engine) as session, session.begin():
            queue.renew(
                session, token=self.token, now=self.clock(), lease_seconds=self.lease_seconds
            )


def save(
    engine: Engine,
    article_id: int,
    extraction: Extraction,
    *,
    token: str,
    checking: Checking | None,
    now: datetime,
) -> None:
    """Check the claims first (prices may be fetched online: no transaction is open), then one
    transaction: the new state (it locks the row and checks the lease), the facts, the checks,
    and the alerts of new discrepancy groups (store/alerts.py)."""
    checks = None
    if checking is not None:
        checks = [check_claim(c, checking.prices, checking.calendar) for c in extraction.claims]
    with Session(engine) as session, session.begin():
        queue.complete(session, article_id, token=token, now=now)
        claim_ids = queries.save_extraction(session, article_id, extraction)
        if checking is not None and checks is not None:
            queries.save_checks(session, list(zip(claim_ids, checks, strict=True)), now=now)
            save_fetched(checking.prices, session)  # read-through prices land with the checks
            wrong = [
                i for i, c in zip(claim_ids, checks, strict=True) if c.verdict == "contradicted"
            ]
            alerts.groups_opened(session, wrong, now=now)  # webhooks' outbox, same transaction


def fail(
    engine: Engine,
    article: Leased,
    token: str,
    error: str,
    *,
    options: WorkerOptions,
    clock: Clock,
    tally: Tally,
    final: bool = False,
) -> None:
    """Record a failed attempt in its own transaction (retried later or failed for good)."""
    log.warning("article %d failed: %s", article.id, error)
    with Session(engine) as session, session.begin():
        status = queue.fail(
            session,
            article.id,
            token=token,
            error=error,
            now=clock(),
            max_attempts=options.max_attempts,
            retry_seconds=options.retry_seconds,
            final=final,
        )
    if status == "failed":
        tally.failed += 1
    else:
        tally.retried += 1
    tally.errors.append(f"article {article.id}: {error}")
