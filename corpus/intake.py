"""Articles into the queue: ``enqueue`` validates and normalises the text, skips a text already
stored, marks a near-duplicate, and inserts the article as queued; ``enqueue_fetch`` inserts an
article whose page the worker fetches first (corpus/fetching.py). Never commits: the caller owns
the transaction; store/queue.py leases what this inserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from corpus import normalize
from corpus.dedup import RecentArticles
from corpus.sources import ArticleIn, aware
from corpus.urls import clean_url
from store.queue import insert_for
from store.tables import FETCHING, QUEUED, Article


@dataclass(frozen=True, slots=True)
class Enqueued:
    """The stored article's id; ``created`` False when the same text was already there."""

    article_id: int
    created: bool
    duplicate_of: int | None = None


def enqueue(
    session: Session,
    article: ArticleIn,
    *,
    now: datetime,
    max_bytes: int,
    recent: RecentArticles | None = None,
    feed_id: int | None = None,
    entry_id: str | None = None,
    what: str = "article",
) -> Enqueued:
    """Store an article as queued, or return the id of the article with the same text.

    Raises BadArticle (empty, binary, badly encoded, too large) before writing anything.
    """
    text = normalize.validate(article.text, max_bytes=max_bytes, what=what)
    digest = normalize.content_hash(text)
    existing = session.exec(select(Article.id).where(Article.content_hash == digest)).first()
    if existing is not None:
        return Enqueued(existing, created=False)
    key = normalize.dedup_key(article.title, text)
    near = None
    if recent is not None:
        recent.refresh(session)
        near = recent.match(key)
    values: dict[str, Any] = {
        "content_hash": digest,
        "text": text,
        "title": article.title,
        "published": article.published,
        "published_at": aware(article.published_at),
        "source": article.source,
        "url": article.url,
        "feed_id": feed_id,
        "entry_id": entry_id,
        "words": len(text.split()),
        "dedup_key": key,
        "duplicate_of": near.article_id if near else None,
        "similarity": near.score if near else None,
        "status": QUEUED,
        "attempts": 0,
        "available_at": now,
        "created_at": now,
    }
    inserted = insert(session, values)
    if inserted.created and recent is not None:
        recent.add(inserted.article_id, key)
    duplicate_of = near.article_id if near and inserted.created else None
    return Enqueued(inserted.article_id, inserted.created, duplicate_of)


def insert(session: Session, values: dict[str, Any]) -> Enqueued:
    """Insert an article row unless its content hash is there (another process may have stored
    it since our look): its id, and whether this call created it."""
    statement = insert_for(session, Article).values(**values)
    statement = statement.on_conflict_do_nothing(index_elements=["content_hash"])
    article_id = session.execute(statement.returning(col(Article.id))).scalar()
    if article_id is None:
        digest = values["content_hash"]
        raced = session.exec(select(Article.id).where(Article.content_hash == digest)).one()
        return Enqueued(raced or 0, created=False)
    return Enqueued(article_id, created=True)


def fetch_key(url: str) -> str:
    """The content hash of an article waiting for its page: its clean URL's, marked apart from
    text hashes (64 characters, as the column)."""
    return "fetch:" + normalize.content_hash(clean_url(url))[:58]


def enqueue_fetch(
    session: Session,
    article: ArticleIn,
    *,
    url: str,
    now: datetime,
    max_bytes: int,
    feed_id: int | None = None,
    entry_id: str | None = None,
) -> Enqueued:
    """Store an article whose page is to be fetched (state ``fetching``; its teaser as text), or
    return the article already known by that clean URL (as link or canonical URL)."""
    clean = clean_url(url)
    teaser = normalize.normalize_text(article.text) if article.text.strip() else ""
    if teaser:
        teaser = normalize.validate(teaser, max_bytes=max_bytes, what=url)
    digest = fetch_key(url)
    known = or_(col(Article.content_hash) == digest, col(Article.canonical_url) == clean)
    existing = session.exec(select(Article.id).where(known).order_by(col(Article.id))).first()
    if existing is not None:
        return Enqueued(existing, created=False)
    values: dict[str, Any] = {
        "content_hash": digest, "text": teaser, "title": article.title,
        "published": article.published, "published_at": aware(article.published_at),
        "source": article.source, "url": url, "feed_id": feed_id, "entry_id": entry_id,
        "words": len(teaser.split()), "dedup_key": "", "status": FETCHING, "attempts": 0,
        "available_at": now, "created_at": now,
    }  # fmt: skip
    return insert(session, values)
