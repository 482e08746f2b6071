"""Discrepancies (contradicted claims, furthest off in tolerances first) and review decisions."""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

from fastapi import APIRouter, Request

from api.deps import Reader, ReadSessionDep, Reviewer, ServicesDep, SessionDep
from api.guard import GuardedRoute
from api.routes import ERRORS, PAGE_SIZE, Cursor, Id, Limit, after_id, decode_cursor, page
from api.schemas import (
    DiscrepancyGroupPublic,
    DiscrepancyPublic,
    Page,
    ReviewCreate,
    ReviewPublic,
    ReviewStats,
    claim_public,
)
from review import decisions
from store import discrepancies
from store.clock import utc_now
from store.discrepancies import ReviewStatus

router = APIRouter(tags=["reviews"], responses=ERRORS, route_class=GuardedRoute)


# How GET /v1/discrepancies lists the queue: a row per claim (the default), or per claim group.
QueueView = Literal["claim", "group"]


@router.get("/v1/discrepancies")
def list_discrepancies(
    request: Request,
    session: ReadSessionDep,
    reader: Reader,
    status: ReviewStatus = discrepancies.OPEN,
    view: QueueView = "claim",
    cursor: Cursor = None,
    limit: Limit = PAGE_SIZE,
) -> Page[DiscrepancyPublic] | Page[DiscrepancyGroupPublic]:
    """Open (undecided) discrepancies, or those confirmed, dismissed or corrected; the furthest
    off first (``excess``: multiples of the tolerance; none last), then by claim id.
    ``view=group``: each repeated claim once, as GET /v1/discrepancies/groups lists them."""
    if view == "group":
        return list_discrepancy_groups(request, session, reader, status, cursor, limit)
    after = rank_cursor(cursor)
    rows = discrepancies.list_discrepancies(session, status=status, after=after, limit=limit + 1)
    return page(
        request,
        rows,
        limit=limit,
        item=partial(discrepancy_public, status=status),
        key=discrepancy_key,
    )


@router.get("/v1/discrepancies/groups")
def list_discrepancy_groups(
    request: Request,
    session: ReadSessionDep,
    _: Reader,
    status: ReviewStatus = discrepancies.OPEN,
    cursor: Cursor = None,
    limit: Limit = PAGE_SIZE,
) -> Page[DiscrepancyGroupPublic]:
    """The queue with each repeated claim once (wire copies, near-duplicates): the group's size
    and outlets, furthest off first, then by the group's first claim id."""
    after = rank_cursor(cursor)
    rows = discrepancies.list_groups(session, status=status, after=after, limit=limit + 1)
    return page(
        request, rows, limit=limit, item=partial(group_public, status=status), key=group_key
    )


def rank_cursor(cursor: str | None) -> tuple[float, int] | None:
    """The (rank, claim id) a queue page's cursor holds: where the next page starts."""
    key = decode_cursor(cursor, kinds=((int, float), int))
    return None if key is None else (float(key[0]), int(key[1]))


def group_public(
    group: discrepancies.ClaimGroup, *, status: ReviewStatus
) -> DiscrepancyGroupPublic:
    first = discrepancy_public(group.leader, status)
    members = [claim_id for claim_id, _, _ in group.members]
    excess = None if group.rank == discrepancies.NO_EXCESS else group.rank
    return DiscrepancyGroupPublic(
        first=first, size=len(members), members=members, outlets=group.outlets, excess=excess
    )


def group_key(group: discrepancies.ClaimGroup) -> list[float | int | None]:
    return [group.rank, group.leader.claim.id]


def discrepancy_key(row: discrepancies.Discrepancy) -> list[float | int | None]:
    return [row.rank, row.claim.id]


def discrepancy_public(row: discrepancies.Discrepancy, status: ReviewStatus) -> DiscrepancyPublic:
    """A discrepancy as the list shows it."""
    claim = claim_public(row.claim, row.check)
    return DiscrepancyPublic(claim=claim, error=row.error, excess=row.check.excess, status=status)


CONFLICT: dict[int | str, dict[str, Any]] = {
    409: ERRORS[404] | {"description": "Not a discrepancy, or a correction without fields."}
}


@router.post("/v1/discrepancies/{claim_id}/review", status_code=201, responses=CONFLICT)
def review_discrepancy(
    claim_id: Id,
    body: ReviewCreate,
    session: SessionDep,
    services: ServicesDep,
    principal: Reviewer,
) -> ReviewPublic:
    """Confirm, dismiss, or correct the claim's reading (then it is checked again)."""
    choice, checking = body.decision_by(principal.name), services.checking()
    decisions.prefetch(session, claim_id, choice, checking)  # a correction's prices, no transaction
    with session.begin():
        review = decisions.decide(session, claim_id, choice, now=utc_now(), checking=checking)
        return ReviewPublic.model_validate(review)


@router.post("/v1/discrepancies/groups/{claim_id}/review", status_code=201, responses=CONFLICT)
def review_discrepancy_group(
    claim_id: Id,
    body: ReviewCreate,
    session: SessionDep,
    services: ServicesDep,
    principal: Reviewer,
) -> list[ReviewPublic]:
    """One decision for every open copy of the claim (its group): each member gets its own
    review, ``claim_id``'s first; a correction re-checks each member."""
    choice, checking = body.decision_by(principal.name), services.checking()
    decisions.prefetch(session, claim_id, choice, checking, group=True)
    with session.begin():
        made = decisions.decide_group(session, claim_id, choice, now=utc_now(), checking=checking)
        return [ReviewPublic.model_validate(r) for r in made]


@router.get("/v1/discrepancies/{claim_id}/reviews")
def discrepancy_reviews(claim_id: Id, session: ReadSessionDep, _: Reader) -> list[ReviewPublic]:
    """The claim's decisions, oldest first."""
    decisions.detail(session, claim_id)  # ClaimNotFound (404) for an unknown claim
    return [ReviewPublic.model_validate(r) for r in discrepancies.reviews_for(session, claim_id)]


@router.get("/v1/reviews/stats")
def review_stats(session: ReadSessionDep, _: Reader) -> ReviewStats:
    """What reviewers decided, each claim counted once (its latest decision): by decision, by
    reason (the misreadings the extractor makes), by outlet and by week."""
    return ReviewStats(**discrepancies.review_stats(session))


@router.get("/v1/reviews")
def list_reviews(
    request: Request, session: ReadSessionDep, _: Reader,
    cursor: Cursor = None, limit: Limit = PAGE_SIZE,
) -> Page[ReviewPublic]:  # fmt: skip
    """Every decision on any claim, oldest first: the review history."""
    rows = discrepancies.list_reviews(session, after=after_id(cursor), limit=limit + 1)
    return page(request, rows, limit=limit, item=ReviewPublic.model_validate)
