"""Review decisions on discrepancies: a ``Decision`` (what the reviewer chose), ``decide``
(confirm, dismiss, correct + re-check), ``decide_group`` (the same for every open copy of the
claim), ``prefetch`` (a correction's prices, fetched before the transaction) and ``detail`` (what
a reviewer sees). ``decide`` never commits: the route (or page) owns the transaction. Raises
``review.errors`` (ClaimNotFound, DecisionRefused), never HTTP errors.

A discrepancy is a claim whose check is contradicted. Each decision is a Review row (who, when,
what, the verdict before and after) and sets the check's ``review_status``; the latest decision
wins. A correction rewrites the claim's reading (subject, period, metric, value ...) and checks it
again: still contradicted, it goes back to the open queue; otherwise it leaves it as "corrected".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

from sqlmodel import Session

from checker import check_claim
from checker.checking import Checking
from marketdata.table import save_fetched
from review.errors import ClaimNotFound, DecisionRefused
from store import alerts, discrepancies, queries
from store.rows import check_json, claim_json, copy_check, to_claim
from store.tables import Article, CheckRow, ClaimRow, Review

Action = Literal["confirm", "dismiss", "correct"]  # what a reviewer does; the review records
DECISIONS: dict[str, str] = {"confirm": "confirmed", "dismiss": "dismissed", "correct": "corrected"}
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


@dataclass(frozen=True, slots=True)
class Decision:
    """What a reviewer decided on a discrepancy: ``action`` confirm, dismiss or correct, with the
    reason a dismissal or correction needs and a correction's fields. ``decide`` refuses an
    incomplete one (``refusal``) once it has found the claim, so an unknown claim is still 404."""

    action: str
    reviewer: str
    note: str | None = None
    reason: str | None = None  # one of store.discrepancies.REVIEW_REASONS
    correction: Mapping[str, Any] | None = None  # CORRECTABLE field -> value

    def refusal(self) -> DecisionRefused | None:
        """Why this decision cannot be recorded, or None."""
        if self.action not in DECISIONS:
            return DecisionRefused(f"unknown decision {self.action!r}")
        if self.action in NEEDS_REASON and self.reason not in discrepancies.REVIEW_REASONS:
            reasons = ", ".join(discrepancies.REVIEW_REASONS)
            return DecisionRefused(f"a {self.action} decision needs a reason, one of: {reasons}")
        if self.action != "correct":
            return None
        if not self.correction:
            return DecisionRefused("a correction needs at least one corrected field")
        unknown = sorted(set(self.correction) - set(CORRECTABLE))
        if unknown:
            return DecisionRefused(f"cannot correct {', '.join(unknown)}")
        columns = ClaimRow.__table__.c  # type: ignore[attr-defined]  # SQLModel sets it
        emptied = sorted(
            n for n, v in self.correction.items() if v is None and not columns[n].nullable
        )
        if emptied:  # {"approx": null} would reach the database as a NOT NULL violation (a 500)
            return DecisionRefused(f"{', '.join(emptied)} cannot be corrected to nothing")
        return None

    @property
    def fields(self) -> dict[str, Any]:
        """The corrected fields (none unless the action is a correction)."""
        return dict(self.correction or {}) if self.action == "correct" else {}


def prefetch(
    session: Session, claim_id: int, choice: Decision, checking: Checking, *, group: bool = False
) -> None:
    """Check the corrected readings ``decide`` will check, with no transaction open: a
    read-through price source fetches online here, so the write transaction then checks from
    memory. Reads the claims in a short transaction of its own; nothing to do unless
    ``choice`` is a correction. Call it before the caller's ``session.begin()``."""
    if not choice.fields or choice.refusal() is not None:  # decide refuses it, in order
        return
    with session.begin():
        members = discrepancies.open_members(session, claim_id) if group else []
        readings = []
        for member in dict.fromkeys([claim_id, *members]):
            found = queries.get_claim(session, member)
            if found is not None:
                readings.append(replace(to_claim(found[0]), **choice.fields))
    for reading in readings:  # no transaction: prices may be fetched online
        check_claim(reading, checking.prices, checking.calendar)


def decide(
    session: Session,
    claim_id: int,
    choice: Decision,
    *,
    now: datetime,
    checking: Checking,
    alert: bool = True,
) -> Review:
    """Record a decision; a correction re-checks the claim first (``prefetch`` before the
    transaction keeps price fetching out of it). Its ``review.decided`` alert goes to the
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
    if (refused := choice.refusal()) is not None:
        raise refused
    before = (check.verdict, check.computed)
    status: str | None = DECISIONS[choice.action]
    if choice.fields:
        _apply(claim, choice.fields)
        _recheck(claim, check, checking, now=now)
        save_fetched(checking.prices, session)  # what a read-through source fetched, kept
        status = None if check.verdict == "contradicted" else status
    check.review_status = status
    claim.page_json, check.page_json = claim_json(claim), check_json(check)
    review = Review(
        claim_id=claim_id, decision=DECISIONS[choice.action], note=choice.note,
        reviewer=choice.reviewer, reason=choice.reason if choice.action in NEEDS_REASON else None,
        decided_at=now, correction=_jsonable(choice.fields) if choice.fields else None,
        verdict_before=before[0], computed_before=before[1],
        verdict_after=check.verdict, computed_after=check.computed,
    )  # fmt: skip
    session.add_all([claim, check, review])
    session.flush()
    if alert:
        alerts.decided(session, [review], group=False, now=now)
    return review


def decide_group(
    session: Session, claim_id: int, choice: Decision, *, now: datetime, checking: Checking
) -> list[Review]:
    """One decision for every open discrepancy of ``claim_id``'s group (the same claim in other
    articles, store.discrepancies.list_groups), ``claim_id`` first: each member gets its own Review
    row, and a correction re-checks each member. One ``review.decided`` alert names them all.
    ClaimNotFound, DecisionRefused."""
    others = [m for m in discrepancies.open_members(session, claim_id) if m != claim_id]
    reviews = [
        decide(session, member, choice, now=now, checking=checking, alert=False)
        for member in [claim_id, *others]
    ]
    alerts.decided(session, reviews, group=True, now=now)
    return reviews


def _apply(claim: ClaimRow, correction: dict[str, Any]) -> None:
    for name, value in correction.items():
        setattr(claim, name, value)


def _recheck(claim: ClaimRow, check: CheckRow, checking: Checking, *, now: datetime) -> None:
    result = check_claim(to_claim(claim), checking.prices, checking.calendar)
    copy_check(check, result, now=now)


def _jsonable(correction: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in correction.items()}
