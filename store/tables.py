"""The store's tables (SQLModel ``table=True`` classes only; API shapes live in api/schemas.py).

Articles are also the queue: ``status`` moves [fetching ->] queued -> processing -> done | failed
(an article with a link to follow starts ``fetching``; migration 0009), and a lease
(``lease_token``, ``lease_expires``) marks the worker holding one. Facts (ticker mentions, figures,
quotes, claims) hang off an article and are unique on (article, position): a fact written twice is
an integrity error, never a silent duplicate. Times are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from store.columns import UtcDateTime

# An article's place in the queue (``Article.status``; the API calls it ``state``).
State = Literal["fetching", "queued", "processing", "done", "failed"]
STATUSES: tuple[State, ...] = get_args(State)
FETCHING: State = "fetching"  # waits for its page to be fetched (corpus/fetching.py)
QUEUED: State = "queued"
PROCESSING: State = "processing"
DONE: State = "done"
FAILED: State = "failed"


class Feed(SQLModel, table=True):
    """A polled RSS/Atom feed with its conditional-GET state and backoff."""

    __tablename__ = "feeds"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True)
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    interval_seconds: int = 900
    next_poll_at: datetime | None = Field(default=None, index=True)
    errors: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_polled_at: datetime | None = None
    created_at: datetime


class Article(SQLModel, table=True):
    """An article and its place in the queue."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_queue", "status", "available_at"),
        # What lease() scans, in id order: only the unfinished articles, however many are done.
        Index(
            "ix_articles_pending",
            "id",
            sqlite_where=text("status IN ('queued', 'processing')"),
            postgresql_where=text("status IN ('queued', 'processing')"),
        ),
        Index("ix_articles_feed_entry", "feed_id", "entry_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = Field(max_length=64, unique=True)  # sha256 of the normalised text
    text: str = Field(sa_column=Column(Text, nullable=False))
    title: str | None = None
    published: date | None = Field(default=None, index=True)
    # The published time, when the source gives one (UTC; migration 0005): what the worker
    # extracts with, so moves are placed in the trading session.
    published_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    source: str | None = None
    url: str | None = Field(default=None, index=True)
    feed_id: int | None = Field(default=None, foreign_key="feeds.id")
    entry_id: str | None = None
    words: int = 0
    dedup_key: str = ""  # normalised title and lead, what near-duplicates are matched on
    duplicate_of: int | None = Field(default=None, foreign_key="articles.id", index=True)
    similarity: float | None = None
    status: str = QUEUED  # a State; stored as plain text
    attempts: int = 0
    available_at: datetime  # not leased before this (retry backoff)
    lease_token: str | None = None
    lease_expires: datetime | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(index=True)
    done_at: datetime | None = None
    # The page's identity: its canonical URL (else the link), tracking parameters removed.
    canonical_url: str | None = Field(default=None, index=True)
    # A paywall or a teaser: the summary was kept, and the article is not counted as checked.
    partial: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )
    author: str | None = None
    site_name: str | None = None
    fetched_at: datetime | None = None  # the last fetch of its link, whatever its outcome
    fetch_error: str | None = Field(default=None, sa_column=Column(Text))


class InstrumentRow(SQLModel, table=True):
    """A symbol the extractor has reported, with the name it gave."""

    __tablename__ = "instruments"

    symbol: str = Field(primary_key=True, max_length=32)
    name: str | None = None


class TickerMention(SQLModel, table=True):
    """An instrument one article discusses, with the offsets of every mention."""

    __tablename__ = "ticker_mentions"
    __table_args__ = (UniqueConstraint("article_id", "symbol"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True, ondelete="CASCADE")
    symbol: str = Field(foreign_key="instruments.symbol", index=True)
    name: str | None = None
    mentions: list[list[int]] = Field(sa_column=Column(JSON, nullable=False))


class FigureRow(SQLModel, table=True):
    """A number with its unit, as the contract's Figure."""

    __tablename__ = "figures"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True, ondelete="CASCADE")
    position: int
    text: str
    start: int
    end: int
    value: float | None = None
    unit: str = Field(index=True)
    low: float | None = None
    high: float | None = None
    approx: bool = False


class QuoteRow(SQLModel, table=True):
    """A direct quotation and who said it."""

    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True, ondelete="CASCADE")
    position: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    start: int
    end: int
    speaker: str | None = Field(default=None, index=True)
    role: str | None = None
    org: str | None = Field(default=None, index=True)
    cue: str | None = None


class ClaimRow(SQLModel, table=True):
    """An assertion about one instrument, as the contract's Claim."""

    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("article_id", "position"),
        Index("ix_claims_subject_end", "subject", "end"),
        Index("ix_claims_subject_id", "subject", "id"),  # GET /v1/claims?symbol= pages by id
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="articles.id", index=True, ondelete="CASCADE")
    position: int
    subject: str = Field(max_length=32)
    metric: str
    value: float | None = None
    unit: str
    low: float | None = None
    high: float | None = None
    approx: bool = False
    bound: str | None = None
    start: date | None = None
    end: date | None = Field(default=None, index=True)
    session: str | None = None
    kind: str = Field(index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    offset_start: int
    offset_end: int
    # How the subject, period and session were decided (extractor.types.Basis.to_dict()); None
    # for claims stored before migration 0004.
    basis: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    # The claim's fields (but its id) as GET /v1/claims serves them: store/rows.py writes it with
    # every change of the row (claim_values, claim_json), store/claim_pages.py reads it.
    page_json: str | None = Field(default=None, sa_column=Column(Text))


class CheckRow(SQLModel, table=True):
    """The checker's verdict on one claim, with the evidence behind it."""

    __tablename__ = "checks"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claims.id", unique=True, ondelete="CASCADE")
    verdict: str | None = Field(default=None, index=True)
    reason: str | None = None
    computed: float | None = None
    evidence: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # evidence["excess"] in a column: how many tolerances the claim is off, what the review queue
    # is ranked by (migration 0004). None when not computable, or checked before 0004.
    excess: float | None = None
    checked_at: datetime
    # The latest review decision ("confirmed", "dismissed", "corrected"); None: never reviewed, or
    # re-opened by a correction that is still contradicted. Kept here so the queue is one index.
    review_status: str | None = Field(default=None, index=True)
    # The check's fields as GET /v1/claims serves them, written with the row (rows.check_values,
    # rows.check_json).
    page_json: str | None = Field(default=None, sa_column=Column(Text))


class Review(SQLModel, table=True):
    """A reviewer's decision on a flagged claim, with who made it and when."""

    __tablename__ = "reviews"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claims.id", index=True, ondelete="CASCADE")
    decision: str = Field(index=True)  # "confirmed" | "dismissed" | "corrected"
    # Why a dismissal or correction was made: a store.discrepancies.ReviewReason (migration 0007).
    reason: str | None = Field(default=None, index=True)
    note: str | None = Field(default=None, sa_column=Column(Text))
    reviewer: str
    decided_at: datetime
    # A correction's new reading (subject, period, metric, value...) and the check before/after it.
    correction: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    verdict_before: str | None = None
    verdict_after: str | None = None
    computed_before: float | None = None
    computed_after: float | None = None


class ApiKey(SQLModel, table=True):
    """An API key: only its SHA-256 is stored; ``prefix`` names it in lists and logs."""

    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    key_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    role: str
    name: str | None = None
    created_at: datetime
    revoked_at: datetime | None = None
    # Review sign-outs so far: a review session cookie of an older generation is refused (0006).
    session_generation: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )


class PriceRow(SQLModel, table=True):
    """One symbol's trading day (the checker's PriceBar), and the provider it came from."""

    __tablename__ = "prices"

    symbol: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
    open: float | None = None
    high: float | None = None
    low: float | None = None
    close: float | None = None
    adj_close: float | None = None
    volume: int | None = Field(default=None, sa_column=Column(BigInteger))
    dividend: float | None = None
    source: str


class Webhook(SQLModel, table=True):
    """A receiver of alerts (migration 0008): where to POST, which event types, how to sign."""

    __tablename__ = "webhooks"

    id: int | None = Field(default=None, primary_key=True)
    url: str
    events: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # Kept as given: an HMAC needs the secret itself. Served once, in the POST's answer.
    secret: str
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class WebhookEvent(SQLModel, table=True):
    """An alert in the outbox, written in the transaction of what it reports (store/outbox.py)."""

    __tablename__ = "webhook_events"

    id: str = Field(primary_key=True, max_length=36)  # a uuid4: receivers drop repeats by it
    type: str = Field(index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))  # the body's "data"
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class WebhookDelivery(SQLModel, table=True):
    """One event for one webhook: pending -> delivered, or failed after the last attempt."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "webhook_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="webhook_events.id", index=True, ondelete="CASCADE")
    webhook_id: int = Field(foreign_key="webhooks.id", index=True, ondelete="CASCADE")
    status: str = "pending"  # "pending" | "delivered" | "failed"
    attempts: int = 0
    # Not sent before this: the backoff after a failure, or the lease of a deliverer sending it.
    next_attempt_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    lease_token: str | None = Field(default=None, max_length=32)
    last_status: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


class WebhookAttempt(SQLModel, table=True):
    """One POST of a delivery: the receiver's status code, or the error that stopped it."""

    __tablename__ = "webhook_attempts"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="webhook_deliveries.id", index=True, ondelete="CASCADE")
    attempt: int
    sent_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    status_code: int | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    seconds: float
