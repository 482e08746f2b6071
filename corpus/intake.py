"""Articles into the queue: ``enqueue`` validates and normalises the text, skips a text already
stored, marks a near-duplicate, and inserts the article as queued. Never commits: the caller owns
the transaction; store/queue.py leases what this inserts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from corpus import normalize
from corpus.dedup import RecentArticles
from corpus.sources import ArticleIn, aware
from store.queue import insert_for
from store.tables import QUEUED, Article


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
    values = {
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
    statement = insert_for(session, Article).values(**values)
    statement = statement.on_conflict_do_nothing(index_elements=["content_hash"])
    article_id = session.execute(statement.returning(col(Article.id))).scalar()
    if article_id is None:  # another process stored the same text since our look
        raced = session.exec(select(Article.id).where(Article.content_hash == digest)).one()
        return Enqueued(raced or 0, created=False)
    if recent is not None:
        recent.add(article_id, key)
    return Enqueued(article_id, created=True, duplicate_of=near.article_id if near else None)
