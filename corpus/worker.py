"""The ingestion worker: lease a batch -> extract with nlp.pipe -> store and check -> complete
(what is written per article is corpus/article_results.py).

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
from sqlmodel import Session

from checker.checking import Checking
from corpus import article_results, feed_polling
from corpus import fetching as fetching_stage
from corpus.feed_polling import FeedPolling
from corpus.fetching import ArticleFetching
from corpus.pool import ExtractorPool, Fault, Job
from extractor import Extraction, extract, extract_many
from store import queue
from store.clock import utc_now
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
    renew = article_results.Renewal(engine, batch.token, options.lease_seconds, clock)
    begin = functools.partial(article_results.start, engine, batch.token)
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
        article_results.finish(
            engine, by_id[article_id], result, token=batch.token, options=options,
            checking=checking, clock=clock, tally=tally,
        )  # fmt: skip
        renew()
