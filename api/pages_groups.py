"""The review queue by claim group, read from the store: the same wrong claim in several articles
(wire copies, near-duplicates) is one row with its size and outlets, and the item page lists the
open copies one decision covers (review.decisions.decide_group). No HTML here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from api.pages_data import QueueItem, queue_item
from store import discrepancies
from store.tables import Article, ClaimRow

QUEUE_LIMIT = 100  # groups on a queue page; decided ones leave it, so the next ones move up


@dataclass(frozen=True, slots=True)
class QueueGroup:
    """One row of the queue: the group's first claim stands for it."""

    item: QueueItem
    members: list[int]  # claim ids, in id order
    outlets: list[str]  # the members' article sources, sorted, once each

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True, slots=True)
class Copy:
    """An open discrepancy of a group: the claim and the article it is in."""

    claim_id: int
    article_id: int
    title: str | None
    source: str | None


def open_groups(
    session: Session, *, limit: int, after: tuple[float, int] | None = None
) -> tuple[list[QueueGroup], tuple[float, int] | None]:
    """Open claim groups, furthest off (in tolerances) first as GET /v1/discrepancies?view=group
    has them, after the (rank, first claim id) ``after``; and where the next page starts (None:
    this is the last)."""
    rows = discrepancies.list_groups(
        session, status=discrepancies.OPEN, after=after, limit=limit + 1
    )
    more, rows = len(rows) > limit, rows[:limit]
    ids = {row.leader.claim.article_id for row in rows}
    articles = {a.id: a for a in session.exec(select(Article).where(col(Article.id).in_(ids)))}
    groups = [_group(row, articles[row.leader.claim.article_id]) for row in rows]
    last = (rows[-1].rank, rows[-1].leader.claim.id or 0) if more and rows else None
    return groups, last


def _group(row: discrepancies.ClaimGroup, article: Article) -> QueueGroup:
    first = row.leader
    item = queue_item(first.claim, first.check, article, first.error)
    return QueueGroup(item, [claim_id for claim_id, _, _ in row.members], row.outlets)


def open_copies(session: Session, claim_id: int) -> list[Copy]:
    """The open discrepancies of ``claim_id``'s group, itself included when open, in id order:
    what a decision on the group covers."""
    members = discrepancies.open_members(session, claim_id)
    statement = (
        select(ClaimRow.id, Article.id, Article.title, Article.source)
        .join(Article, col(Article.id) == col(ClaimRow.article_id))
        .where(col(ClaimRow.id).in_(members))
        .order_by(col(ClaimRow.id))
    )
    rows = session.exec(statement)
    return [Copy(int(c or 0), int(a or 0), title, source) for c, a, title, source in rows]
