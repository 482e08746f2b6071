"""Review decisions on discrepancies: ``decide`` (confirm, dismiss, correct + re-check),
``decide_group`` (the same for every open copy of the claim) and ``detail`` (what a reviewer
sees). Never commits: the route (or page) owns the transaction. Raises ``review.errors``
(ClaimNotFound, DecisionRefused), never HTTP errors.

A discrepancy is a claim whose check is contradicted. Each decision is a Review row (who, when,
what, the verdict before and after) and sets the check's ``review_status``; the latest decision
wins. A correction rewrites the claim's reading (subject, period, metric, value ...) and checks it
again: still contradicted, it goes back to the open queue; otherwise it leaves it as "corrected".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from checker import check_claim
from checker.checking import Checking
from review.errors import ClaimNotFound, DecisionRefused
from store import alerts, discrepancies, queries
from store.rows import check_json, claim_json, copy_check, to_claim
from store.tables import Article, CheckRow, ClaimRow, Review

DECISIONS = {"confirm": "confirmed", "dismiss": "dismissed", "correct": "corrected"}
NEEDS_REASON = frozenset({"dismiss", "correct"})  # the reviewer says what the extractor misread
CORRECTABLE = ("subject", "metric", "value", "unit", "low", "high", "approx", "bound", "start",
               "end", "session", "kind")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Detail:
    """One discrepancy as a reviewer sees it."""

    claim: ClaimRow
    check: CheckRow | None
    article: Article
    others: list[queries.ClaimWithCheck]  # the article's other claims
    reviews: list[Review]


def detail(session: Session, claim_id: int) -> Detail:
    """The claim, its check, its article, the article's other claims and the decisions so far."""
    found = queries.get_claim(session, claim_id)
    if found is None:
        raise ClaimNotFound(f"no claim {claim_id}")
    claim, check = found
    article = session.get(Article, claim.article_id)
    if article is None:  # the foreign key makes this unreachable; say so if it ever is not
        raise ClaimNotFound(f"claim {claim_id} has no article")
    same_article = queries.ClaimFilter(article_id=claim.article_id)
    others = [
        c for c in queries.list_claims(session, same_article, limit=500) if c[0].id != claim_id
    ]
    return Detail(claim, check, article, others, discrepancies.reviews_for(session, claim_id))


def decide(
    session: Session,
    claim_id: int,
    *,
    decision: str,
    reviewer: str,
    now: datetime,
    checking: Checking,
    note: str | None = None,
    correction: dict[str, Any] | None = None,
    reason: str | None = None,
    alert: bool = True,
) -> Review:
    """Record a decision; a correction re-checks the claim first. A dismissal or correction needs
    a ``reason`` (store.discrepancies.REVIEW_REASONS). Its ``review.decided`` alert goes to the
    webhooks' outbox in the same transaction (``alert=False``: the caller raises it, as
    ``decide_group`` does, once for the group). ClaimNotFound, DecisionRefused."""
    found = queries.get_claim(session, claim_id)
    if found is None:
        raise ClaimNotFound(f"no claim {claim_id}")
    claim, check = found
    if check is None or (check.verdict != "contradicted" and check.review_status is None):
        raise DecisionRefused(
            f"claim {claim_id} is not a discrepancy (its check is not contradicted)"
        )
    if decision not in DECISIONS:
        raise DecisionRefused(f"unknown decision {decision!r}")
    if decision in NEEDS_REASON and reason not in discrepancies.REVIEW_REASONS:
        reasons = ", ".join(discrepancies.REVIEW_REASONS)
        raise DecisionRefused(f"a {decision} decision needs a reason, one of: {reasons}")
    before = (check.verdict, check.computed)
    status: str | None = DECISIONS[decision]
    if decision == "correct":
        if not correction:
            raise DecisionRefused("a correction needs at least one corrected field")
        _apply(claim, correction)
        _recheck(claim, check, checking, now=now)
        status = None if check.verdict == "contradicted" else status
    check.review_status = status
    claim.page_json, check.page_json = claim_json(claim), check_json(check)
    review = Review(
        claim_id=claim_id, decision=DECISIONS[decision], note=note, reviewer=reviewer,
        reason=reason if decision in NEEDS_REASON else None,
        decided_at=now, correction=_jsonable(correction) if decision == "correct" else None,
        verdict_before=before[0], computed_before=before[1],
        verdict_after=check.verdict, computed_after=check.computed,
    )  # fmt: skip
    session.add_all([claim, check, review])
    session.flush()
    if alert:
        alerts.decided(session, [review], group=False, now=now)
    return review


def decide_group(
    session: Session,
    claim_id: int,
    *,
    decision: str,
    reviewer: str,
    now: datetime,
    checking: Checking,
    note: str | None = None,
    correction: dict[str, Any] | None = None,
    reason: str | None = None,
) -> list[Review]:
    """One decision for every open discrepancy of ``claim_id``'s group (the same claim in other
    articles, store.discrepancies.list_groups), ``claim_id`` first: each member gets its own Review
    row, and a correction re-checks each member. One ``review.decided`` alert names them all.
    ClaimNotFound, DecisionRefused."""
    others = [m for m in discrepancies.open_members(session, claim_id) if m != claim_id]
    options: dict[str, Any] = {
        "decision": decision, "reviewer": reviewer, "now": now, "checking": checking,
        "note": note, "correction": correction, "reason": reason, "alert": False,
    }  # fmt: skip
    reviews = [decide(session, member, **options) for member in [claim_id, *others]]
    alerts.decided(session, reviews, group=True, now=now)
    return reviews


def _apply(claim: ClaimRow, correction: dict[str, Any]) -> None:
    unknown = sorted(set(correction) - set(CORRECTABLE))
    if unknown:
        raise DecisionRefused(f"cannot correct {', '.join(unknown)}")
    columns = ClaimRow.__table__.c  # type: ignore[attr-defined]  # SQLModel sets it
    emptied = sorted(n for n, v in correction.items() if v is None and not columns[n].nullable)
    if emptied:  # {"approx": null} would reach the database as a NOT NULL violation (a 500)
        raise DecisionRefused(f"{', '.join(emptied)} cannot be corrected to nothing")
    for name, value in correction.items():
        setattr(claim, name, value)


def _recheck(claim: ClaimRow, check: CheckRow, checking: Checking, *, now: datetime) -> None:
    result = check_claim(to_claim(claim), checking.prices, checking.calendar)
    copy_check(check, result, now=now)


def _jsonable(correction: dict[str, Any] | None) -> dict[str, Any] | None:
    if correction is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in correction.items()}
