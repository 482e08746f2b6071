"""Request and response models: XCreate in, XPublic out, Page[T] with an opaque cursor.

Field names are the extraction contract's (design.md), plus ``id`` and ``article_id``.
"""

from __future__ import annotations

import operator
import re
from dataclasses import is_dataclass
from datetime import date, datetime
from functools import reduce
from types import UnionType
from typing import Any, Generic, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from checker.check import NOT_CHECKED, Check
from corpus.feed_intervals import DEFAULT_SECONDS, MIN_INTERVAL_SECONDS
from corpus.sources import parse_published
from extractor.types import Bound, Claim, Kind, Metric, Session
from review.decisions import Action, Decision
from store.discrepancies import ReviewReason, ReviewStatus
from store.outbox import EventType
from store.roles import Role
from store.tables import Article, CheckRow, ClaimRow, State

T = TypeVar("T")


class Problem(BaseModel):
    """The one error body (RFC 9457 problem+json)."""

    type: str = Field(examples=["/problems/not_found"])
    title: str
    status: int
    detail: str
    errors: list[dict[str, str]] | None = Field(
        None, description="Validation errors only: the field at fault and why."
    )


class Page(BaseModel, Generic[T]):
    """One page of a list; follow ``next`` (or pass ``cursor=next_cursor``) for the next."""

    items: list[T]
    next_cursor: str | None = None
    next: str | None = Field(None, description="URL of the next page; null on the last one.")


# Characters of a title: headlines run to ~150; the title is near-duplicate matched (rapidfuzz)
# and shown on every review page, so an unbounded one costs CPU and screen. Chosen, not measured.
MAX_TITLE = 1000
WEB_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


class ArticleCreate(BaseModel):
    """A submitted article: one of ``text`` and ``html``, or a ``url`` alone (the worker fetches
    the page and extracts its main text)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, min_length=1)
    html: str | None = Field(None, min_length=1)
    title: str | None = Field(None, max_length=MAX_TITLE)
    url: str | None = Field(None, max_length=2000, description="An absolute http(s) URL.")
    published: datetime | date | None = Field(
        None,
        description="An ISO date, or an ISO datetime with its offset (naive: New York time); "
        "a time also places the article's moves in the trading session.",
        examples=["2025-02-12T11:26:00-05:00"],
    )
    source: str | None = Field(None, max_length=200)

    @field_validator("published", mode="before")
    @classmethod
    def _date_or_time(cls, value: Any) -> date | None:
        """An ISO date or datetime, with one error for either (not one per union member)."""
        return parse_published(value)

    @field_validator("url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        """Only http(s): the URL is shown as a link (a javascript: one would run when clicked)."""
        if value is not None and not WEB_URL.fullmatch(value):
            raise ValueError("only an absolute http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _one_body(self) -> ArticleCreate:
        if self.text is not None and self.html is not None:
            raise ValueError("give one of text and html, not both")
        if self.text is None and self.html is None and self.url is None:
            raise ValueError("give text or html, or a url whose page is fetched")
        return self


class ArticleAccepted(BaseModel):
    """What a submit answers: the article's id, state and where to follow it."""

    id: int
    state: State
    created: bool
    location: str
    duplicate_of: int | None = None


class Row(BaseModel):
    """A response read from a table row's attributes."""

    model_config = ConfigDict(from_attributes=True)


class ArticlePublic(BaseModel):
    id: int
    state: State
    error: str | None
    title: str | None
    url: str | None
    source: str | None
    published: date | None
    published_at: datetime | None = Field(description="The published time (UTC), when known.")
    words: int
    duplicate_of: int | None
    attempts: int
    created_at: datetime
    done_at: datetime | None
    partial: bool = Field(
        description="A paywall or a teaser: the summary was kept; not counted as checked."
    )
    canonical_url: str | None = Field(description="The page's canonical URL (the identity).")
    author: str | None
    site_name: str | None
    fetched_at: datetime | None = Field(description="When its link was last fetched.")
    fetch_error: str | None = Field(description="Why the last fetch of its link failed.")
    counts: dict[str, int] | None = Field(None, description="Facts per kind (single article).")


class TickerPublic(Row):
    id: int
    article_id: int
    symbol: str
    name: str | None
    mentions: list[list[int]]


class FigurePublic(Row):
    id: int
    article_id: int
    text: str
    start: int
    end: int
    value: float | None
    unit: str
    low: float | None
    high: float | None
    approx: bool


class QuotePublic(Row):
    id: int
    article_id: int
    text: str
    start: int
    end: int
    speaker: str | None
    role: str | None
    org: str | None
    cue: str | None


class BasisPublic(BaseModel):
    """How the extractor decided the claim's reading: where its subject, period and session came
    from, e.g. "sentence" (stated there), "clock" (the article's time) or "default" (a guess).
    The values are extractor/types.py's SubjectBasis, PeriodBasis and SessionBasis; plain
    strings here, so that a claim stored under an older vocabulary still reads back."""

    subject: str
    period: str
    session: str


def contract_fields() -> dict[str, Any]:
    """Name -> type of a claim's contract JSON: the claim's fields (extractor.types.Claim) then its
    check's (checker.Check), in their ``to_dict()`` order, typed as those classes declare them, as
    JSON reads them: a vocabulary (Literal) as a plain string (a stored row keeps what the
    vocabulary allowed when it was written), a tuple as a list, a nested value as an object."""
    sample = Claim.from_dict({"subject": "", "metric": "price_return", "kind": "historical"})
    hints = get_type_hints(Claim) | get_type_hints(Check)
    return {name: _json_type(hints[name]) for name in [*sample.to_dict(), *NOT_CHECKED.to_dict()]}


def _json_type(hint: Any) -> Any:
    origin = get_origin(hint)
    if origin is Literal:
        return str
    if origin in (Union, UnionType):
        return reduce(operator.or_, {_json_type(arg): None for arg in get_args(hint)})
    if origin is tuple:
        return list[get_args(hint)[0]]  # type: ignore[misc]  # a type made at run time
    if is_dataclass(hint):
        return dict[str, Any]
    return hint


class ClaimPublic(BaseModel):
    """A stored claim: its ids, then the contract's fields (``contract_fields``: the extractor's
    Claim and the checker's Check are their one definition), then its review status."""

    __annotations__ = {"id": int, "article_id": int} | contract_fields()
    basis: BasisPublic | None = Field(
        description="How the subject, period and session were decided; null for claims stored "
        "before it was recorded."
    )
    review_status: str | None


class TickerSummary(BaseModel):
    """A symbol: its name, its claims per verdict, and the articles that mention it."""

    symbol: str
    name: str | None
    verdicts: dict[str, int]
    claims: str = Field(description="URL of the symbol's claims.")
    mentions: Page[TickerPublic]


class DiscrepancyPublic(BaseModel):
    """A contradicted claim; ``error`` is |claimed - computed|, ``excess`` that gap in multiples
    of the checker's tolerance (what the list is ordered by, largest first; null last)."""

    claim: ClaimPublic
    error: float
    excess: float | None
    status: ReviewStatus


class DiscrepancyGroupPublic(BaseModel):
    """The same wrong claim in several articles (same subject, metric, kind, period and number):
    ``first`` stands for the group; ``members`` are its claim ids, ``outlets`` their sources."""

    first: DiscrepancyPublic
    size: int
    members: list[int]
    outlets: list[str]
    excess: float | None


class CorrectionIn(BaseModel):
    """The fields of the claim's reading to change; the rest stay."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(None, min_length=1, max_length=32)
    metric: Metric | None = None
    value: float | None = Field(None, allow_inf_nan=False)
    unit: str | None = Field(None, min_length=1, max_length=16)
    low: float | None = Field(None, allow_inf_nan=False)
    high: float | None = Field(None, allow_inf_nan=False)
    approx: bool | None = None
    bound: Bound | None = None
    start: date | None = None
    end: date | None = None
    session: Session | None = None
    kind: Kind | None = None


class ReviewCreate(BaseModel):
    """A decision; a dismissal or correction says why (``reason``), a correction what changes."""

    model_config = ConfigDict(extra="forbid")

    decision: Action
    reason: ReviewReason | None = None
    note: str | None = Field(None, max_length=10_000)
    correction: CorrectionIn | None = None

    @model_validator(mode="after")
    def reason_given(self) -> ReviewCreate:
        if self.decision != "confirm" and self.reason is None:
            raise ValueError(f"a {self.decision} decision needs a reason")
        return self

    def decision_by(self, reviewer: str) -> Decision:
        """The review's Decision, its correction the fields as sent (unset ones left out)."""
        correction = self.correction.model_dump(exclude_unset=True) if self.correction else None
        return Decision(
            self.decision, reviewer, note=self.note, reason=self.reason, correction=correction
        )


class ReviewPublic(Row):
    id: int
    claim_id: int
    decision: str
    reason: ReviewReason | None = None
    note: str | None
    reviewer: str
    decided_at: datetime
    correction: dict[str, Any] | None
    verdict_before: str | None
    verdict_after: str | None
    computed_before: float | None
    computed_after: float | None


class FeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(pattern=r"^https?://\S+$", max_length=2000)
    title: str | None = None
    interval_seconds: int = Field(DEFAULT_SECONDS, ge=MIN_INTERVAL_SECONDS, le=86_400)


class FeedPublic(Row):
    id: int
    url: str
    title: str | None
    interval_seconds: int
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    errors: int
    last_error: str | None
    created_at: datetime


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str | None = Field(None, max_length=200)


class KeyPublic(Row):
    id: int
    prefix: str
    role: str
    name: str | None
    created_at: datetime
    revoked_at: datetime | None


class KeyCreated(KeyPublic):
    key: str = Field(description="The key itself: shown once, only its hash is kept.")


class PriceImportPublic(BaseModel):
    rows: int
    symbols: int
    files: int
    bad_rows: int
    conflicts: int


def article_public(row: Article, counts: dict[str, int] | None = None) -> ArticlePublic:
    """An article row as the API shows it (``state`` is the queue's status)."""
    fields = {
        n: getattr(row, n) for n in ArticlePublic.model_fields if n not in ("state", "counts")
    }
    return ArticlePublic.model_validate(fields | {"state": row.status, "counts": counts})


def claim_public(claim: ClaimRow, check: CheckRow | None) -> ClaimPublic:
    """A claim row and its check as the contract's claim, with ids and the review status.

    Built without validation (``model_construct``): the rows come from our own tables, and
    validating 50 claims took 1.4 ms of a page's 5 ms (bench/api_speed.py).
    """
    fields = {name: getattr(claim, name) for name in CLAIM_COLUMNS}
    fields["offsets"] = [claim.offset_start, claim.offset_end]
    fields["basis"] = None if claim.basis is None else BasisPublic.model_validate(claim.basis)
    if check is None:
        return ClaimPublic.model_construct(**fields, **UNCHECKED)
    return ClaimPublic.model_construct(
        **fields,
        verdict=check.verdict,
        reason=check.reason,
        computed=check.computed,
        evidence=check.evidence,
        review_status=check.review_status,
    )


CLAIM_COLUMNS = [n for n in ClaimPublic.model_fields if n in ClaimRow.model_fields]
UNCHECKED: dict[str, Any] = {
    "verdict": None, "reason": None, "computed": None, "evidence": {}, "review_status": None,
}  # fmt: skip


class ReviewStats(BaseModel):
    """Decisions counted once per claim (its latest): by decision, by reason, by the article's
    outlet and by ISO week (``2025-W07``) of the decision."""

    total: int
    by_decision: dict[str, int]
    by_reason: dict[str, int]
    by_outlet: dict[str, int]
    by_week: dict[str, int]


class WebhookCreate(BaseModel):
    """A webhook to register: where to POST, which events; a secret, or one is made."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=2000, description="An absolute http(s) URL on a public address.")
    events: list[EventType] = Field(min_length=1, description="Event types to send it.")
    secret: str | None = Field(
        None, min_length=16, max_length=200,
        description="Signs each delivery (HMAC-SHA256); omitted, one is made. Shown only in "
        "this request's answer.",
    )  # fmt: skip


class WebhookPublic(Row):
    """A webhook as lists show it: never its secret."""

    id: int
    url: str
    events: list[str]
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="The signing secret: shown once, in this answer only.")


class AttemptPublic(Row):
    attempt: int
    sent_at: datetime
    status_code: int | None
    error: str | None
    seconds: float


class DeliveryPublic(Row):
    """One event sent (or to send) to a webhook, with every attempt so far."""

    id: int
    event_id: str = Field(description="The event's id: its Webhook-Id header and body `id`.")
    event_type: str
    status: str = Field(description="pending, delivered or failed (after the last attempt).")
    attempts: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str | None
    delivered_at: datetime | None
    attempt_log: list[AttemptPublic]
