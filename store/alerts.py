"""The alerts the store's writers raise, written to the outbox in their transaction
(store/outbox.py): ``groups_opened`` (the worker, recheck), ``decided`` (review decisions) and
``forecasts_resolved`` (recheck). Each writes nothing when no webhook subscribes to its event
type, and then reads only the small webhooks table (nothing at all when there is nothing to
report). Never commits.

On PostgreSQL two copies of one claim committed at the same moment by two workers cannot see
each other (neither is committed), so both announce the group, each with its own claim; on SQLite
writers take turns and the second copy joins the first's group silently.

Every event's ``data`` names claims with ``claim()``'s fields; README "Alerts" lists them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from store import discrepancies, outbox
from store.tables import Article, CheckRow, ClaimRow, Review

CLAIM_FIELDS = ("id", "article_id", "subject", "metric", "kind", "value", "unit", "low", "high",
                "start", "end", "session", "text")  # fmt: skip
CHECK_FIELDS = ("verdict", "reason", "computed", "excess", "review_status")


def claim(claim_row: ClaimRow, check: CheckRow | None, article: Article | None) -> dict[str, Any]:
    """A claim as events carry it: its reading, its check and its article's outlet and URL."""
    out = {name: _plain(getattr(claim_row, name)) for name in CLAIM_FIELDS}
    out |= {name: getattr(check, name, None) for name in CHECK_FIELDS}
    article_fields = {"source": None, "title": None, "url": None}
    return out | {n: getattr(article, n, None) for n in article_fields}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _claims(session: Session, claim_ids: Collection[int]) -> list[dict[str, Any]]:
    rows = session.exec(
        select(ClaimRow, CheckRow, Article)
        .join(CheckRow, col(CheckRow.claim_id) == col(ClaimRow.id), isouter=True)
        .join(Article, col(Article.id) == col(ClaimRow.article_id))
        .where(col(ClaimRow.id).in_(sorted(claim_ids)))
        .order_by(col(ClaimRow.id))
    )
    return [claim(c, k, a) for c, k, a in rows]


def groups_opened(session: Session, claim_ids: Collection[int], *, now: datetime) -> list[str]:
    """``discrepancy_group.created`` for each new discrepancy group among ``claim_ids`` (claims
    whose checks this transaction wrote): a group none of whose open members is older than this
    transaction. One event per group, however many of its members are new; their ids."""
    webhooks = outbox.wants(session, "discrepancy_group.created") if claim_ids else []
    if not webhooks:
        return []
    new, announced, events = set(claim_ids), set[int](), []
    for claim_id in sorted(new):
        members = discrepancies.open_members(session, claim_id)
        if claim_id in announced or claim_id not in members or not new.issuperset(members):
            continue
        announced.update(members)
        data = {"group": {"size": len(members), "members": _claims(session, members)}}
        event = outbox.emit(session, "discrepancy_group.created", data, now=now, webhooks=webhooks)
        events += [event] if event else []
    return events


def decided(session: Session, reviews: Sequence[Review], *, group: bool, now: datetime) -> None:
    """``review.decided`` for one decision: on one claim, or on every open copy in its group
    (``group``), each member with its own review."""
    if not reviews or not outbox.wants(session, "review.decided"):
        return
    first = reviews[0]
    by_claim = {c["id"]: c for c in _claims(session, [r.claim_id for r in reviews])}
    data = {
        "decision": first.decision, "reason": first.reason, "note": first.note,
        "reviewer": first.reviewer, "decided_at": first.decided_at.isoformat(), "group": group,
        "reviews": [_review(r) | {"claim": by_claim.get(r.claim_id)} for r in reviews],
    }  # fmt: skip
    outbox.emit(session, "review.decided", data, now=now)


def _review(review: Review) -> dict[str, Any]:
    names = ("id", "verdict_before", "verdict_after", "computed_before", "computed_after")
    return {name: getattr(review, name) for name in names} | {"correction": review.correction}


def forecasts_resolved(
    session: Session, resolved: Sequence[tuple[int, str]], *, now: datetime
) -> None:
    """``forecast.resolved`` for each forecast whose pending check got a verdict; ``resolved``
    holds (claim id, the verdict it had before: "pending")."""
    webhooks = outbox.wants(session, "forecast.resolved") if resolved else []
    if not webhooks:
        return
    before = dict(resolved)
    for item in _claims(session, before):
        data = {"claim": item, "verdict_before": before[item["id"]]}
        outbox.emit(session, "forecast.resolved", data, now=now, webhooks=webhooks)
