"""Quotes, by speaker, organisation and words."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import Reader, ReadSessionDep
from api.guard import GuardedRoute
from api.routes import ERRORS, PAGE_SIZE, Cursor, Limit, after_id, page
from api.schemas import Page, QuotePublic
from store import queries

router = APIRouter(prefix="/v1/quotes", tags=["quotes"], responses=ERRORS, route_class=GuardedRoute)


@router.get("")
def list_quotes(
    request: Request,
    session: ReadSessionDep,
    _: Reader,
    speaker: str | None = None,
    org: str | None = None,
    q: str | None = None,
    cursor: Cursor = None,
    limit: Limit = PAGE_SIZE,
) -> Page[QuotePublic]:
    """Attributed quotes; speaker, org and q match case-insensitive substrings."""
    rows = queries.list_quotes(
        session, speaker=speaker, org=org, q=q, after=after_id(cursor), limit=limit + 1
    )
    return page(request, rows, limit=limit, item=QuotePublic.model_validate)
