"""The discrepancy queue and the review history: contradicted claims, furthest off (in
tolerances) first, and every decision made on them. Never commits."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal, NamedTuple, get_args

from sqlalchemy import ColumnElement, String, cast, func, or_
from sqlmodel import Session, col, select

from store.tables import Article, CheckRow, ClaimRow, Review

# Where a contradicted claim stands: open (not yet decided) or the decision a reviewer made.
ReviewStatus = Literal["open", "confirmed", "dismissed", "corrected"]
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
OPEN: ReviewStatus = "open"
# Why a reviewer dismissed or corrected a claim: the misreadings the extractor makes, counted by
# GET /v1/reviews/stats.
ReviewReason = Literal[
    "wrong_subject", "wrong_metric", "wrong_period", "wrong_session", "not_a_claim",
    "bad_market_data", "other",
]  # fmt: skip
REVIEW_REASONS: tuple[ReviewReason, ...] = get_args(ReviewReason)


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


# A claim group: the same claim in several articles (syndicated copies, near-duplicates, the same
# wire story filed again). Members agree on what is claimed: subject, metric, kind, period and
# number. The most varied fields first: the queue's GROUP BY sorts on them in this order, and
# SQLite's sort settles most comparisons on the first (value first: 42 ms against 56 ms a page at
# 15k open claims, bench/queue_speed.py's store).
GROUP_FIELDS = ("value", "end", "subject", "start", "metric", "kind", "low", "high")
CLAIM_COLUMNS = ClaimRow.__table__.c  # type: ignore[attr-defined]
GROUP_KEY = tuple(CLAIM_COLUMNS[name] for name in GROUP_FIELDS)


class ClaimGroup(NamedTuple):
    """One group of the queue: its first claim stands for it; every member with its outlet."""

    leader: Discrepancy
    members: list[tuple[int, int, str | None]]  # (claim id, article id, article source)
    rank: float  # the furthest off member's excess

    @property
    def outlets(self) -> list[str]:
        return sorted({source for _, _, source in self.members if source})


def _in_queue(statement: Any, status: ReviewStatus) -> Any:
    joined = statement.join(CheckRow, col(CheckRow.claim_id) == col(ClaimRow.id))
    if status == OPEN:
        return joined.where(
            col(CheckRow.verdict) == "contradicted", col(CheckRow.review_status).is_(None)
        )
    return joined.where(col(CheckRow.review_status) == status)


def list_groups(
    session: Session,
    *,
    status: ReviewStatus = OPEN,
    after: tuple[float, int] | None = None,
    limit: int = 50,
) -> list[ClaimGroup]:
    """The queue with each repeated claim once, furthest off first, then by the group's first
    claim id; ``after`` is the (rank, first claim id) of the previous page's last group.

    Three queries whatever the page's size: the groups (their member ids aggregated as text,
    "12,40"), the first claims, the members' articles. The members were once 2 queries a group
    (N+1: 160 ms a page of 50 at 100k claims, bench/queue_speed.py)."""
    heads = _heads(session, status, after=after, limit=limit)
    leaders = _leaders(session, [claim_id for _, claim_id, _ in heads])
    outlets = _articles(session, [m for _, _, members in heads for m in members])
    return [
        ClaimGroup(leaders[i], [(m, *outlets[m]) for m in members], group_rank)
        for group_rank, i, members in heads
    ]


def _heads(
    session: Session, status: ReviewStatus, *, after: tuple[float, int] | None, limit: int
) -> list[tuple[float, int, list[int]]]:
    """A page of groups as (rank, first claim id, member ids in id order)."""
    rank = func.max(queue_rank()).label("rank")
    leader = func.min(col(ClaimRow.id)).label("leader")
    ids = func.aggregate_strings(cast(col(ClaimRow.id), String), ",").label("ids")
    page = _in_queue(select(rank, leader, ids), status).group_by(*GROUP_KEY).subquery()
    statement = select(page.c.rank, page.c.leader, page.c.ids)
    if after is not None:
        last_rank, last_id = after
        statement = statement.where(
            or_(page.c.rank < last_rank, (page.c.rank == last_rank) & (page.c.leader > last_id))
        )
    statement = statement.order_by(page.c.rank.desc(), page.c.leader).limit(limit)
    return [
        (float(r), int(i), sorted(int(m) for m in ms.split(",")))
        for r, i, ms in session.exec(statement)
    ]


def open_members(session: Session, claim_id: int) -> list[int]:
    """The open discrepancies in ``claim_id``'s group (itself included if open), in id order."""
    claim = session.get(ClaimRow, claim_id)
    if claim is None:
        return []
    statement = _in_queue(select(ClaimRow.id), OPEN).where(*_same_claim(claim))
    return [int(i) for i in session.exec(statement.order_by(col(ClaimRow.id)))]


def _same_claim(claim: ClaimRow) -> list[ColumnElement[bool]]:
    """Conditions that hold for the claims of ``claim``'s group (NULLs match NULLs)."""
    return [
        column.is_(None) if getattr(claim, name) is None else column == getattr(claim, name)
        for name, column in zip(GROUP_FIELDS, GROUP_KEY, strict=True)
    ]


def _leaders(session: Session, claim_ids: list[int]) -> dict[int, Discrepancy]:
    """The groups' first claims as Discrepancies, by claim id: one query for a page."""
    rows = session.exec(
        select(ClaimRow, CheckRow, claim_error(), queue_rank())
        .join(CheckRow, col(CheckRow.claim_id) == col(ClaimRow.id))
        .where(col(ClaimRow.id).in_(claim_ids))
    )
    return {c.id or 0: Discrepancy(c, k, float(e), float(r)) for c, k, e, r in rows}


def _articles(session: Session, claim_ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """Each claim's (article id, article source), by claim id."""
    rows = session.exec(
        select(ClaimRow.id, ClaimRow.article_id, Article.source)
        .join(Article, col(Article.id) == col(ClaimRow.article_id))
        .where(col(ClaimRow.id).in_(claim_ids))
    )
    return {int(c or 0): (int(a), source) for c, a, source in rows}


def review_stats(session: Session) -> dict[str, Any]:
    """Decisions counted once per claim, by its latest review: the totals by decision, reason,
    outlet (the article's source) and ISO week of the decision ("2025-W07")."""
    latest = select(func.max(col(Review.id)).label("id")).group_by(col(Review.claim_id)).subquery()
    rows = session.exec(
        select(Review.decision, Review.reason, Review.decided_at, Article.source)
        .join(latest, col(Review.id) == latest.c.id)
        .join(ClaimRow, col(ClaimRow.id) == col(Review.claim_id))
        .join(Article, col(Article.id) == col(ClaimRow.article_id))
    ).all()
    weeks = [d.isocalendar() for _, _, d, _ in rows]
    return {
        "total": len(rows),
        "by_decision": dict(Counter(decision for decision, _, _, _ in rows)),
        "by_reason": dict(Counter(reason for _, reason, _, _ in rows if reason)),
        "by_outlet": dict(Counter(source or "unknown" for _, _, _, source in rows)),
        "by_week": dict(Counter(f"{year}-W{week:02d}" for year, week, _ in weeks)),
    }
