"""Claims (filtered, paged), one claim, its review history and its ClaimReview JSON-LD."""

from __future__ import annotations

from datetime import date
from operator import itemgetter
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from pydantic_core import to_json

from api.deps import (
    BEARER_SECURITY,
    Reader,
    ReadSessionDep,
    ServicesDep,
    authorize,
    bearer_key,
    get_services,
)
from api.errors import NotFound
from api.guard import GuardedRoute
from api.routes import (
    ERRORS,
    MAX_ID,
    MAX_PAGE,
    PAGE_SIZE,
    Id,
    after_id,
    page,
    parse_query,
    query_parameters,
)
from api.schemas import ClaimPublic, Page, ReviewPublic, claim_public
from checker import Verdict
from extractor.types import Kind, Metric
from review import chart, export
from store import claim_pages, discrepancies, queries
from store.tables import Article

router = APIRouter(prefix="/v1/claims", tags=["claims"], responses=ERRORS, route_class=GuardedRoute)


class ClaimQuery(BaseModel):
    """GET /v1/claims's parameters (read by ``parse_query``, documented by ``query_parameters``)."""

    symbol: str | None = None
    verdict: Verdict | None = None
    kind: Kind | None = None
    metric: Metric | None = None
    date_from: date | None = Field(None, alias="from", description="End date >= this.")
    date_to: date | None = Field(None, alias="to", description="End date <= this.")
    article: int | None = Field(None, ge=1, le=MAX_ID)
    q: str | None = Field(None, description="Words in the claim's sentence.")
    cursor: str | None = Field(None, description="`next_cursor` of the previous page.")
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE, description="Items per page.")


@router.get(
    "",
    response_model=Page[ClaimPublic],
    openapi_extra=query_parameters(ClaimQuery) | BEARER_SECURITY,
)
async def list_claims(request: Request) -> Response:
    """Claims with their verdicts, oldest first."""
    # The API's hot path: no FastAPI dependencies (solving them was a seventh of the request,
    # bench/api_speed.py); the key is checked and the query read here, documented by hand.
    services = get_services(request)
    await authorize(services, bearer_key(request), "reader")
    query = parse_query(request, ClaimQuery)
    # Runs on the event loop, not in the thread pool: one indexed query of ~0.5 ms blocks the
    # loop less than handing a thread the GIL back and forth (bench/api_speed.py: 4x the rate).
    filters = queries.ClaimFilter(
        query.symbol, query.verdict, query.kind, query.metric, query.date_from, query.date_to,
        query.article, query.q,
    )  # fmt: skip
    after, limit = after_id(query.cursor), query.limit
    if services.claim_pool is not None:  # PostgreSQL: await the server
        pool = services.claim_pool
        rows = await claim_pages.claim_page_async(pool, filters, after=after, limit=limit + 1)
    else:  # SQLite: in this process, no wait to overlap
        rows = claim_pages.claim_page(services.reader, filters, after=after, limit=limit + 1)
    result = page(request, rows, limit=limit, item=itemgetter(1), key=itemgetter(0))
    # The database wrote each claim's JSON (store/claim_pages.py); only the page around them is
    # serialised here.
    items = ",".join(result.items).encode()
    tail = to_json({"next_cursor": result.next_cursor, "next": result.next})
    return Response(b'{"items":[' + items + b"]," + tail[1:], media_type="application/json")


def _claim(session: Any, claim_id: Id) -> queries.ClaimWithCheck:
    found = queries.get_claim(session, claim_id)
    if found is None:
        raise NotFound(f"no claim {claim_id}")
    return found


@router.get("/{claim_id}")
def read_claim(claim_id: Id, session: ReadSessionDep, _: Reader) -> ClaimPublic:
    """One claim with its verdict and evidence."""
    return claim_public(*_claim(session, claim_id))


@router.get("/{claim_id}/reviews")
def claim_reviews(claim_id: Id, session: ReadSessionDep, _: Reader) -> list[ReviewPublic]:
    """Every decision on the claim, oldest first (who, when, what)."""
    _claim(session, claim_id)
    return [ReviewPublic.model_validate(r) for r in discrepancies.reviews_for(session, claim_id)]


@router.get(
    "/{claim_id}/claimreview",
    responses={200: {"content": {"application/ld+json": {}}}},
)
def claim_review(claim_id: Id, session: ReadSessionDep, _: Reader) -> Response:
    """schema.org ClaimReview JSON-LD for a reviewed claim (404 until it has been reviewed)."""
    claim, check = _claim(session, claim_id)
    reviews = discrepancies.reviews_for(session, claim_id)
    if check is None or not reviews:
        raise NotFound(f"claim {claim_id} has not been reviewed")
    article = session.get(Article, claim.article_id)
    assert article is not None
    document = export.claim_review(claim, check, reviews[-1], article)
    return Response(export.to_json_ld(document), media_type="application/ld+json")


@router.get(
    "/{claim_id}/chart.svg",
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def claim_chart(
    claim_id: Id, session: ReadSessionDep, services: ServicesDep, _: Reader
) -> Response:
    """The claim's price path as an SVG drawn on the server (review/chart.py): the daily closes
    over its period with a margin, start and end marked, the claimed number against the computed
    one; its <title> and <desc> say the same in words."""
    row, check = _claim(session, claim_id)
    drawn = chart.stored_chart(row, check, services.checking().prices)
    return Response(drawn.svg, media_type="image/svg+xml", headers=SVG_HEADERS)


# The SVG holds no script and no reference out; as a document of its own it may load nothing.
SVG_HEADERS = {"Content-Security-Policy": "default-src 'none'", "Cache-Control": "no-cache"}
