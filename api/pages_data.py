"""What the review pages show, read from the store: the queue, one item, and the decisions.

Plain frozen dataclasses the templates read; no HTML here. The sentence is split into the text
before the claim's figure, the figure and the text after it, so the template escapes each part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from api.deps import Services
from api.errors import ApiError
from checker.evidence import Alternative, Evidence
from review import decisions
from review.errors import ClaimNotFound, ReviewError
from store import discrepancies, keys
from store.clock import utc_now
from store.tables import ApiKey, Article, CheckRow, ClaimRow, Review

METRICS = ("price_return", "price_change", "price_level", "target_level")
# The reasons a dismissal or correction picks from, as the form shows them.
REASONS = tuple((r, r.replace("_", " ")) for r in discrepancies.REVIEW_REASONS)
REVIEWER = "reviewer"  # the least role that may review
CONTEXT_CHARS = 200  # shown either side of the figure when the sentence is not found verbatim
BASIS_PARTS = ("period", "session", "subject")  # the basis line's order: what is most often guessed


@dataclass(frozen=True, slots=True)
class Who:
    """A signed-in reviewer."""

    key_id: int
    name: str
    generation: int  # the key's session generation at sign-in (store/keys.py end_sessions)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence split around the claim's figure: escaped apart, highlighted in the middle."""

    before: str
    figure: str
    after: str


@dataclass(frozen=True, slots=True)
class PriceLine:
    """One bar the checker used: which end of the period, the day and its prices."""

    label: str
    day: str
    close: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One open discrepancy in the queue."""

    claim_id: int
    article_id: int
    article_title: str | None
    subject: str
    metric: str
    unit: str
    claimed: float | None
    computed: float | None
    error: float  # |claimed - computed|, in the claim's unit (store.discrepancies.claim_error)
    tolerance: float | None  # the checker's allowed gap, same unit
    sentence: Sentence
    excess: float | None = None  # the error in tolerances: the queue's order (None: unknown)


@dataclass(frozen=True, slots=True)
class OtherClaim:
    """Another claim of the same article, with its verdict."""

    claim_id: int
    subject: str
    metric: str
    value: float | None
    unit: str
    verdict: str | None
    sentence: Sentence


@dataclass(frozen=True, slots=True)
class Item:
    """Everything the item page shows."""

    row: QueueItem
    article: Article
    claim: ClaimRow
    check: CheckRow
    period: tuple[str | None, str | None]
    rule: str | None
    provider: str | None
    prices: list[PriceLine]
    others: list[OtherClaim]
    history: list[Review]
    status: str
    basis: str | None = None  # "period: clock · session: clock · subject: sentence"
    alternative: str | None = None  # another reading the text allows (evidence["alternative"])


def reviewer_for_key(session: Session, key: str) -> Who | None:
    """The reviewer a key belongs to; None for an unknown or revoked key or a lesser role."""
    row = keys.authenticate(session, key)
    if row is None or row.id is None or not keys.allows(row.role, REVIEWER):
        return None
    return Who(row.id, row.name or row.prefix, row.session_generation)  # named as api/deps.py


def key_still_valid(session: Session, key_id: int, generation: int) -> bool:
    """Whether a signed-in key has not been revoked, lost its reviewing role or signed out
    (a newer session generation) since."""
    row = session.get(ApiKey, key_id)
    return (
        row is not None
        and row.revoked_at is None
        and row.session_generation == generation
        and keys.allows(row.role, REVIEWER)
    )


def split_sentence(article_text: str, claim: ClaimRow) -> Sentence:
    """The claim's sentence cut at its figure's offsets (half-open, in the article's text)."""
    start, end = claim.offset_start, claim.offset_end
    found = article_text.rfind(claim.text, 0, start + len(claim.text))  # starts <= start
    if found < 0 or found + len(claim.text) < end:  # text moved: show the figure in context
        found = max(0, start - CONTEXT_CHARS)
        stop = min(len(article_text), end + CONTEXT_CHARS)
    else:
        stop = found + len(claim.text)
    return Sentence(article_text[found:start], article_text[start:end], article_text[end:stop])


def queue_item(claim: ClaimRow, check: CheckRow, article: Article, error: float) -> QueueItem:
    """One discrepancy as the queue (and the item page's numbers) show it."""
    assert claim.id is not None
    assert article.id is not None
    return QueueItem(
        claim_id=claim.id,
        article_id=article.id,
        article_title=article.title,
        subject=claim.subject,
        metric=claim.metric,
        unit=claim.unit,
        claimed=claim.value,
        computed=check.computed,
        error=error,
        tolerance=Evidence.from_dict(check.evidence).widest_tolerance,
        sentence=split_sentence(article.text, claim),
        excess=check.excess,
    )


def load_item(session: Session, claim_id: int) -> Item | None:
    """One checked claim with its article, evidence, sibling claims and review history."""
    try:
        found = decisions.detail(session, claim_id)
    except ClaimNotFound:
        return None
    claim, check, article = found.claim, found.check, found.article
    if check is None:
        return None
    evidence = Evidence.from_dict(check.evidence)
    return Item(
        row=queue_item(claim, check, article, _error(claim, check)),
        article=article,
        claim=claim,
        check=check,
        period=(_iso(evidence.start), _iso(evidence.end)),
        rule=evidence.rule,
        provider=evidence.provider,
        prices=price_lines(evidence),
        others=[_other(article, c, k) for c, k in found.others],
        history=found.reviews,
        status=check.review_status or discrepancies.OPEN,
        basis=basis_line(claim.basis),
        alternative=alternative_line(evidence.alternative),
    )


def basis_line(basis: dict[str, Any] | None) -> str | None:
    """How the reading was decided, as one line: "period: clock · session: clock · subject:
    sentence"; None for a claim stored without one."""
    if not basis:
        return None
    return " · ".join(f"{name}: {basis[name]}" for name in BASIS_PARTS if name in basis)


def alternative_line(alternative: Alternative | None) -> str | None:
    """The other reading a check found, as one line: "week_to_date 2025-01-31 → 2025-02-07,
    computed -0.24", or "uncertain (period: default · ...)"."""
    if alternative is None:
        return None
    line = alternative.reading or "another reading"
    if alternative.start or alternative.end:
        line += f" {_iso(alternative.start) or '—'} → {_iso(alternative.end) or '—'}"
    if alternative.computed is not None:
        line += f", computed {alternative.computed:g}"
    if alternative.basis is not None:
        line += f" ({basis_line(alternative.basis.to_dict())})"
    return line


def price_lines(evidence: Evidence) -> list[PriceLine]:
    """The bars in a check's evidence (start, end), in that order."""
    bars = [("start", evidence.start_bar), ("end", evidence.end_bar)]
    return [
        PriceLine(label, bar.day.isoformat(), bar.close, bar.low, bar.high)
        for label, bar in bars
        if bar is not None
    ]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _error(claim: ClaimRow, check: CheckRow) -> float:
    """|claimed - computed| as discrepancies.claim_error() has it (a range at its middle)."""
    claimed = claim.value
    if claimed is None and claim.low is not None and claim.high is not None:
        claimed = (claim.low + claim.high) / 2
    if claimed is None or check.computed is None:
        return 0.0
    return abs(claimed - check.computed)


def _other(article: Article, claim: ClaimRow, check: CheckRow | None) -> OtherClaim:
    return OtherClaim(
        claim_id=claim.id or 0,
        subject=claim.subject,
        metric=claim.metric,
        value=claim.value,
        unit=claim.unit,
        verdict=check.verdict if check else None,
        sentence=split_sentence(article.text, claim),
    )


@dataclass(frozen=True, slots=True)
class Choice:
    """The decide form as posted: the decision, its reason and note, the correct form's fields."""

    decision: str
    reason: str | None
    note: str | None
    fields: dict[str, str]


def decide(
    session: Session,
    services: Services,
    claim_id: int,
    posted: Choice,
    *,
    reviewer: str,
    group: bool = False,
) -> list[int] | str:
    """Record a decision through review/decisions.py, on the claim alone or (``group``) on every
    open copy of it (decide_group), in one transaction of its own after a correction's prices
    are fetched outside it; the claims decided, else what went wrong (and nothing written)."""
    checking = services.checking()  # built once per process, kept by create_app
    try:
        correction = parse_correction(posted.fields) if posted.decision == "correct" else None
        choice = decisions.Decision(
            posted.decision, reviewer, note=posted.note, reason=posted.reason,
            correction=correction,
        )  # fmt: skip
        decisions.prefetch(session, claim_id, choice, checking, group=group)
        with session.begin():  # all or nothing: no copy of a group is left half-decided
            if group:
                made = decisions.decide_group(
                    session, claim_id, choice, now=utc_now(), checking=checking
                )
            else:
                made = [
                    decisions.decide(session, claim_id, choice, now=utc_now(), checking=checking)
                ]
            return [review.claim_id for review in made]  # read before the commit expires them
    except (ApiError, ReviewError, ValueError) as err:
        return str(err)


def parse_correction(fields: dict[str, str]) -> dict[str, Any]:
    """The correct form's non-empty fields, typed; ValueError names a bad one."""
    out: dict[str, Any] = {}
    if subject := fields.get("subject", "").strip():
        out["subject"] = subject.upper()
    if metric := fields.get("metric", "").strip():
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}")
        out["metric"] = metric
    if value := fields.get("value", "").strip():
        try:
            number = float(value)
        except ValueError as err:
            raise ValueError(f"value {value!r} is not a number") from err
        if not math.isfinite(number):  # "nan", "inf", "1e999": refused as the API refuses them
            raise ValueError(f"value {value!r} is not a finite number")
        out["value"] = number
    for name in ("start", "end"):
        if text := fields.get(name, "").strip():
            try:
                out[name] = date.fromisoformat(text)
            except ValueError as err:
                raise ValueError(f"{name} {text!r} is not a date (YYYY-MM-DD)") from err
    return out
