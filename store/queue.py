"""Articles as the queue: lease, complete, fail (corpus/intake.py enqueues). Never commits: the
caller owns the transaction.

queued --lease--> processing --complete--> done
                      |  \\--fail--> queued again after a backoff, or failed after max_attempts
                      \\-- lease expired (worker died) --> leased again by another worker
failed --requeue--> queued (an operator's `newsclaims requeue`)

Attempts are counted per article, when the worker ``start``s it, not per leased batch: a worker
that dies on one article charges that article an attempt, never the batch-mates it had not reached.
A worker ``renew``s its lease while it works, so a long batch is not taken over.

Leasing takes rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent
workers never wait for or share a row; on SQLite the engine's ``BEGIN IMMEDIATE`` serialises
writers (store/db.py). ``complete`` and ``fail`` only act while the caller's lease token is
still on the row: a worker whose lease was taken over gets ``LeaseLost`` and its transaction,
facts included, rolls back.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, and_, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from store.errors import LeaseLost
from store.tables import DONE, FAILED, FETCHING, PROCESSING, QUEUED, STATUSES, Article


@dataclass(frozen=True, slots=True)
class Leased:
    """One leased article: what the extractor needs."""

    id: int
    text: str
    published: date | None
    attempts: int
    published_at: datetime | None = None

    @property
    def dated(self) -> date | None:
        """What the extractor is given: the published time when known, else the date."""
        return self.published_at or self.published


@dataclass(frozen=True, slots=True)
class Lease:
    """A batch of articles held by one worker until ``expires``."""

    token: str
    expires: datetime
    articles: tuple[Leased, ...]


def insert_for(session: Session, table: Any) -> Any:
    """The dialect's INSERT (both support ON CONFLICT DO NOTHING and RETURNING)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def _ready(now: datetime) -> Any:
    queued = and_(col(Article.status) == QUEUED, col(Article.available_at) <= now)
    expired = and_(col(Article.status) == PROCESSING, col(Article.lease_expires) < now)
    return or_(queued, expired)


def lease(
    session: Session, *, limit: int, now: datetime, lease_seconds: float, max_attempts: int
) -> Lease | None:
    """Lease up to ``limit`` ready articles (queued, or abandoned by a dead worker), oldest first.

    An abandoned article that has used all its attempts ends failed instead of being leased again:
    an input that kills its worker every time must not kill every worker in turn.
    """
    _fail_exhausted(session, now=now, max_attempts=max_attempts)
    pending = col(Article.status).in_((QUEUED, PROCESSING))  # matches ix_articles_pending
    candidates = select(Article.id).where(pending, _ready(now)).order_by(col(Article.id))
    candidates = candidates.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = [i for i in session.exec(candidates).all() if i is not None]
    if not ids:
        return None
    token = uuid.uuid4().hex
    expires = now + timedelta(seconds=lease_seconds)
    session.execute(
        update(Article)
        .where(col(Article.id).in_(ids))
        .values(
            status=PROCESSING,
            lease_token=token,
            lease_expires=expires,
        )
    )
    rows = session.exec(select(Article).where(col(Article.id).in_(ids)).order_by(col(Article.id)))
    leased = tuple(Leased(a.id or 0, a.text, a.published, a.attempts, a.published_at) for a in rows)
    return Lease(token, expires, leased)


def start(session: Session, article_ids: Sequence[int], *, token: str) -> None:
    """Count an attempt on each article the worker begins now (those its lease still holds)."""
    session.execute(
        update(Article)
        .where(
            col(Article.id).in_(article_ids),
            col(Article.lease_token) == token,
            col(Article.status) == PROCESSING,
        )
        .values(attempts=col(Article.attempts) + 1)
    )


def renew(session: Session, *, token: str, now: datetime, lease_seconds: float) -> int:
    """Extend the lease on the articles still held with ``token``; how many were."""
    result = session.execute(
        update(Article)
        .where(col(Article.lease_token) == token, col(Article.status) == PROCESSING)
        .values(lease_expires=now + timedelta(seconds=lease_seconds))
    )
    return result.rowcount if isinstance(result, CursorResult) else 0


def requeue(session: Session, *, now: datetime, article_ids: Sequence[int] | None = None) -> int:
    """Put failed articles (all, or those of ``article_ids``) back in the queue with fresh
    attempts; how many moved."""
    statement = update(Article).where(col(Article.status) == FAILED)
    if article_ids is not None:
        statement = statement.where(col(Article.id).in_(article_ids))
    result = session.execute(
        statement.values(status=QUEUED, attempts=0, available_at=now, error=None)
    )
    return result.rowcount if isinstance(result, CursorResult) else 0


def _fail_exhausted(session: Session, *, now: datetime, max_attempts: int) -> None:
    session.execute(
        update(Article)
        .where(
            col(Article.status) == PROCESSING,
            col(Article.lease_expires) < now,
            col(Article.attempts) >= max_attempts,
        )
        .values(
            status=FAILED,
            lease_token=None,
            lease_expires=None,
            error=f"lease expired on all {max_attempts} attempts (the worker died each time)",
        )
    )


def _update_leased(session: Session, article_id: int, token: str, **values: Any) -> None:
    result = session.execute(
        update(Article)
        .where(
            col(Article.id) == article_id,
            col(Article.lease_token) == token,
            col(Article.status) == PROCESSING,
        )
        .values(**values)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise LeaseLost(f"article {article_id} is no longer leased with token {token}")


def complete(session: Session, article_id: int, *, token: str, now: datetime) -> None:
    """Mark a leased article done; LeaseLost when another worker has taken it over."""
    _update_leased(
        session, article_id, token, status=DONE, lease_token=None, lease_expires=None,
        error=None, done_at=now,
    )  # fmt: skip


def fail(
    session: Session,
    article_id: int,
    *,
    token: str,
    error: str,
    now: datetime,
    max_attempts: int,
    retry_seconds: float,
    final: bool = False,
) -> str:
    """Record a failed attempt: queued again after a doubling backoff, or failed (after
    ``max_attempts``, or at once when ``final``); the new status."""
    attempts = session.exec(select(Article.attempts).where(Article.id == article_id)).one()
    status = FAILED if final or attempts >= max_attempts else QUEUED
    backoff = timedelta(seconds=retry_seconds * 2 ** max(attempts - 1, 0))
    _update_leased(
        session, article_id, token, status=status, lease_token=None, lease_expires=None,
        error=error[:2000], available_at=now + backoff,
    )  # fmt: skip
    return status


def status_counts(session: Session) -> dict[str, int]:
    """Articles per status, every status present."""
    rows = session.exec(select(Article.status, func.count()).group_by(Article.status)).all()
    found = dict(rows)
    return {status: found.get(status, 0) for status in STATUSES}


def partial_count(session: Session) -> int:
    """Articles kept partial (a paywall, a teaser, no page): their summary, not their story."""
    return session.exec(select(func.count()).where(col(Article.partial))).one()


def checked_count(session: Session) -> int:
    """Articles done with their whole text: what counts as checked (a partial one does not)."""
    whole = and_(col(Article.status) == DONE, col(Article.partial).is_(False))
    return session.exec(select(func.count()).where(whole)).one()


def outstanding(session: Session) -> int:
    """Articles fetching, queued or processing: what a draining worker waits for."""
    counts = status_counts(session)
    return counts[FETCHING] + counts[QUEUED] + counts[PROCESSING]
