"""The discrepancy queue and the review history: contradicted claims, furthest off (in
tolerances) first, and every decision made on them. Never commits."""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from store.tables import CheckRow, ClaimRow, Review

# Where a contradicted claim stands: open (not yet decided) or the decision a reviewer made.
ReviewStatus = Literal["open", "confirmed", "dismissed", "corrected"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
OPEN: ReviewStatus = "open"


# What a check without an excess ranks as: after every one with (excesses are >= 0).
NO_EXCESS = -1.0


class Discrepancy(NamedTuple):
    """A contradicted claim, its check, how wrong it is in units and its place in the queue."""

    claim: ClaimRow
    check: CheckRow
    error: float  # |claimed - computed|, in the claim's unit (claim_error())
    rank: float  # the check's excess, NO_EXCESS without one: what the queue is ordered by


def claim_error() -> ColumnElement[float]:
    """|claimed - computed|, a range's claim taken at its middle: how wrong the claim is."""
    claimed = func.coalesce(ClaimRow.value, (col(ClaimRow.low) + col(ClaimRow.high)) / 2)
    return func.coalesce(func.abs(claimed - col(CheckRow.computed)), 0.0)


def queue_rank() -> ColumnElement[float]:
    """The check's excess (tolerances off), NO_EXCESS when it has none: the queue's order.

    Points and percent are not comparable, multiples of the tolerance are: 10 tolerances off
    comes before 2, whatever either is in units.
    """
    return func.coalesce(col(CheckRow.excess), NO_EXCESS)


def list_discrepancies(
    session: Session,
    *,
    status: ReviewStatus = OPEN,
    after: tuple[float, int] | None = None,
    limit: int = 50,
) -> list[Discrepancy]:
    """Contradicted claims (open: not yet decided) or decided ones, furthest off (in tolerances)
    first, then by id; ``after`` is the (rank, claim id) of the previous page's last one."""
    error, rank = claim_error(), queue_rank()
    statement = select(ClaimRow, CheckRow, error, rank).join(
        CheckRow, col(CheckRow.claim_id) == col(ClaimRow.id)
    )
    if status == OPEN:
        statement = statement.where(
            col(CheckRow.verdict) == "contradicted", col(CheckRow.review_status).is_(None)
        )
    else:
        statement = statement.where(col(CheckRow.review_status) == status)
    if after is not None:
        last_rank, last_id = after
        statement = statement.where(
            or_(rank < last_rank, (rank == last_rank) & (col(ClaimRow.id) > last_id))
        )
    statement = statement.order_by(rank.desc(), col(ClaimRow.id)).limit(limit)
    return [Discrepancy(c, k, float(e), float(r)) for c, k, e, r in session.exec(statement)]


def reviews_for(session: Session, claim_id: int) -> list[Review]:
    """Every decision on a claim, oldest first."""
    statement = select(Review).where(Review.claim_id == claim_id).order_by(col(Review.id))
    return list(session.exec(statement))


def list_reviews(session: Session, *, after: int | None = None, limit: int = 50) -> list[Review]:
    """Every decision on any claim, in id order."""
    statement = select(Review).order_by(col(Review.id)).limit(limit)
    if after is not None:
        statement = statement.where(col(Review.id) > after)
    return list(session.exec(statement))
