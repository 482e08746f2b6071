"""Articles waiting for their page (state ``fetching``): lease them, and write what a fetch gave.

Leasing marks rows with the queue's lease columns while their status stays ``fetching``; each
result is written in its own short transaction after the fetch, which holds none. A page moves
its article to ``queued`` (the extraction queue) with the page's text, or ``done`` as a duplicate
of an earlier article (same canonical URL or same text); a page that withholds the story keeps the
teaser and marks the article ``partial``. Never commits: the caller owns the transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CursorResult, and_, or_, update
from sqlmodel import Session, col, select

from corpus import normalize
from corpus.dedup import RecentArticles
from corpus.errors import BadArticle
from corpus.pages import Page
from corpus.sources import aware, published_fields
from corpus.urls import clean_url, host_of
from store.errors import LeaseLost
from store.tables import DONE, FAILED, FETCHING, QUEUED, Article

# Rows read per lease to pick from: enough to find several hosts among one feed's items.
CANDIDATES = 200


@dataclass(frozen=True, slots=True)
class Pending:
    """One article leased for fetching: its link and what the feed gave."""

    id: int
    url: str
    text: str
    title: str | None
    published_at: datetime | None
    attempts: int

    @property
    def host(self) -> str:
        """The politeness key of its link."""
        return host_of(self.url)


def lease(
    session: Session, *, now: datetime, limit: int, per_host: int, lease_seconds: float
) -> tuple[str, list[Pending]]:
    """Lease up to ``limit`` due articles, at most ``per_host`` of one host; (token, articles)."""
    free = or_(col(Article.lease_expires).is_(None), col(Article.lease_expires) < now)
    due = and_(col(Article.status) == FETCHING, col(Article.available_at) <= now, free)
    statement = select(Article.id, Article.url).where(due).order_by(col(Article.id))
    statement = statement.limit(CANDIDATES)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    per: dict[str, int] = defaultdict(int)
    chosen: list[int] = []
    for article_id, url in session.exec(statement).all():
        host = host_of(url or "")
        if article_id is not None and per[host] < per_host and len(chosen) < limit:
            per[host] += 1
            chosen.append(article_id)
    token = normalize.content_hash(f"{now.isoformat()}:{chosen}")[:32]
    if not chosen:
        return token, []
    expires = now + timedelta(seconds=lease_seconds)
    session.execute(
        update(Article)
        .where(col(Article.id).in_(chosen))
        .values(lease_token=token, lease_expires=expires)
    )
    rows = session.exec(
        select(Article).where(col(Article.id).in_(chosen)).order_by(col(Article.id))
    )
    return token, [
        Pending(a.id or 0, a.url or "", a.text, a.title, aware(a.published_at), a.attempts)
        for a in rows
    ]


def _update(session: Session, pending: Pending, token: str, **values: Any) -> None:
    result = session.execute(
        update(Article)
        .where(
            col(Article.id) == pending.id,
            col(Article.lease_token) == token,
            col(Article.status) == FETCHING,
        )
        .values(lease_token=None, lease_expires=None, **values)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise LeaseLost(f"article {pending.id} is no longer leased for fetching with {token}")


def release(session: Session, pending: Pending, token: str, *, at: datetime) -> None:
    """Hand an article back unfetched, due at ``at`` (its host is held); no attempt charged."""
    _update(session, pending, token, available_at=at)


def retry(
    session: Session, pending: Pending, token: str, *, error: str, now: datetime, at: datetime
) -> None:
    """A failed attempt: fetched again at ``at``."""
    _update(session, pending, token, attempts=pending.attempts + 1, available_at=at,
            fetched_at=now, fetch_error=error[:2000])  # fmt: skip


def give_up(session: Session, pending: Pending, token: str, *, error: str, now: datetime) -> str:
    """No page: the teaser is extracted as a partial article, or (no teaser) the article fails."""
    state = QUEUED if pending.text else FAILED
    failure = None if pending.text else error[:2000]
    _update(session, pending, token, status=state, partial=True, attempts=0, available_at=now,
            fetched_at=now, fetch_error=error[:2000], error=failure)  # fmt: skip
    return "partial" if pending.text else "failed"


def earlier_copy(session: Session, pending: Pending, canonical: str, digest: str) -> int | None:
    """An earlier article with this canonical URL or this exact text."""
    same = or_(col(Article.canonical_url) == canonical, col(Article.content_hash) == digest)
    statement = (
        select(Article.id).where(same, col(Article.id) != pending.id).order_by(col(Article.id))
    )
    return session.exec(statement.limit(1)).first()


def store_page(
    session: Session,
    pending: Pending,
    page: Page,
    token: str,
    *,
    final_url: str,
    now: datetime,
    max_bytes: int,
    recent: RecentArticles | None,
) -> str:
    """Write a fetched page: "fetched", "partial" or "duplicate"; BadArticle for unusable text."""
    canonical = page.canonical_url or clean_url(final_url)
    keep_teaser = page.partial and bool(pending.text)
    text = normalize.validate(
        pending.text if keep_teaser else page.text, max_bytes=max_bytes, what=pending.url
    )
    digest = normalize.content_hash(text)
    title = pending.title or page.title
    published, published_at = published_fields(page.published_at or pending.published_at)
    values: dict[str, Any] = {
        "canonical_url": canonical, "author": page.author, "site_name": page.site_name,
        "title": title, "fetched_at": now, "fetch_error": None, "partial": page.partial,
    }  # fmt: skip
    if published is not None:
        values |= {"published": published, "published_at": published_at}
    earlier = earlier_copy(session, pending, canonical, digest)
    if earlier is not None:
        _update(session, pending, token, status=DONE, done_at=now, duplicate_of=earlier,
                similarity=100.0, **values)  # fmt: skip
        return "duplicate"
    key = normalize.dedup_key(title, text)
    near = None
    if recent is not None:
        recent.refresh(session)
        near = recent.match(key)
    values |= {
        "text": text, "words": len(text.split()), "dedup_key": key, "status": QUEUED,
        "attempts": 0, "available_at": now, "duplicate_of": near.article_id if near else None,
        "similarity": near.score if near else None,
    }  # fmt: skip
    if not keep_teaser:
        values["content_hash"] = digest
    _update(session, pending, token, **values)
    if recent is not None:
        recent.add(pending.id, key)
    return "partial" if page.partial else "fetched"


def unusable(error: BadArticle) -> str:
    """The fetch error recorded for a page whose text cannot be stored."""
    return f"{error.code}: {error}"
