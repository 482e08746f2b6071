"""A symbol: its name, verdicts of its claims, and the articles that mention it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import Reader, ReadSessionDep
from api.errors import NotFound
from api.guard import GuardedRoute
from api.routes import ERRORS, PAGE_SIZE, Cursor, Limit, after_id, page
from api.schemas import TickerPublic, TickerSummary
from store import queries
from store.tables import InstrumentRow

router = APIRouter(
    prefix="/v1/tickers", tags=["tickers"], responses=ERRORS, route_class=GuardedRoute
)


@router.get("/{symbol}")
def read_ticker(
    request: Request,
    symbol: str,
    session: ReadSessionDep,
    _: Reader,
    cursor: Cursor = None,
    limit: Limit = PAGE_SIZE,
) -> TickerSummary:
    """Mentions (paged) and claims per verdict; the claims themselves at ``claims``."""
    instrument = session.get(InstrumentRow, symbol)
    verdicts = queries.ticker_verdicts(session, symbol)
    if instrument is None and not verdicts:
        raise NotFound(f"no instrument {symbol!r} in any article")
    rows = queries.ticker_mentions(session, symbol, after=after_id(cursor), limit=limit + 1)
    mentions = page(request, rows, limit=limit, item=TickerPublic.model_validate)
    claims = request.url.replace(path="/v1/claims", query="").include_query_params(symbol=symbol)
    return TickerSummary(
        symbol=symbol,
        name=instrument.name if instrument else None,
        verdicts=verdicts,
        claims=f"{claims.path}?{claims.query}",
        mentions=mentions,
    )
