"""What the worker writes for each article of a batch, each in its own transaction: an attempt
counted when extraction starts (``start``), its facts, checks and new state (``save``), or its
failure (``fail``), whichever ``finish`` is given; and the lease renewed while a batch lasts
(``Renewal``). Whatever goes wrong with one article fails that article only, never the worker.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlmodel import Session

from checker import check_claim
from checker.checking import Checking
from corpus.pool import Fault
from extractor import Extraction
from marketdata.table import save_fetched
from store import alerts, queries, queue
from store.errors import LeaseLost
from store.queue import Leased

if TYPE_CHECKING:
    from corpus.worker import Tally, WorkerOptions

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


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
