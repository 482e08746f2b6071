"""Facts in, counts out: save_extraction(), save_checks(), fact_counts(). Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from checker import Check
from corpus.queue import insert_for
from corpus.tables import CheckRow, ClaimRow, FigureRow, Instrument, QuoteRow, TickerMention
from extractor import Extraction
from extractor.types import Claim

# The table behind each key of `newsclaims status --json`.
COUNTED: dict[str, Any] = {
    "tickers": TickerMention,
    "figures": FigureRow,
    "quotes": QuoteRow,
    "claims": ClaimRow,
    "checks": CheckRow,
}


def save_extraction(session: Session, article_id: int, extraction: Extraction) -> list[int]:
    """Write one article's tickers, figures, quotes and claims; the claims' ids, in order."""
    if extraction.tickers:
        # Sorted: concurrent upserts then lock the same keys in the same order (no deadlock).
        instruments = sorted(
            ({"symbol": t.symbol, "name": t.name} for t in extraction.tickers),
            key=itemgetter("symbol"),
        )
        statement = insert_for(session, Instrument).on_conflict_do_nothing()
        session.execute(statement, instruments)
        session.execute(insert(TickerMention), [_ticker(article_id, t) for t in extraction.tickers])
    figures = [
        {"article_id": article_id, "position": i, **f.to_dict()}
        for i, f in enumerate(extraction.figures)
    ]
    quotes = [
        {"article_id": article_id, "position": i, **q.to_dict()}
        for i, q in enumerate(extraction.quotes)
    ]
    for table, rows in ((FigureRow, figures), (QuoteRow, quotes)):
        if rows:
            session.execute(insert(table), rows)
    if not extraction.claims:
        return []
    claims = [_claim(article_id, i, c) for i, c in enumerate(extraction.claims)]
    returning = insert(ClaimRow).returning(col(ClaimRow.id), sort_by_parameter_order=True)
    return list(session.execute(returning, claims).scalars())


def _ticker(article_id: int, ticker: Any) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "symbol": ticker.symbol,
        "name": ticker.name,
        "mentions": [list(m) for m in ticker.mentions],
    }


def _claim(article_id: int, position: int, claim: Claim) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "position": position,
        "subject": claim.subject,
        "metric": claim.metric,
        "value": claim.value,
        "unit": claim.unit,
        "low": claim.low,
        "high": claim.high,
        "approx": claim.approx,
        "bound": claim.bound,
        "start": claim.start,
        "end": claim.end,
        "session": claim.session,
        "kind": claim.kind,
        "text": claim.text,
        "offset_start": claim.offsets[0],
        "offset_end": claim.offsets[1],
    }


def save_checks(session: Session, checks: Sequence[tuple[int, Check]], *, now: datetime) -> None:
    """Write each (claim id, Check); an unchecked claim (verdict None) gets a row too."""
    rows = [
        {"claim_id": claim_id, "checked_at": now, **check.to_dict()} for claim_id, check in checks
    ]
    if rows:
        session.execute(insert(CheckRow), rows)


def fact_counts(session: Session) -> dict[str, int]:
    """Rows per kind of fact; "tickers" counts (article, instrument) pairs."""
    return {
        name: session.exec(select(func.count()).select_from(table)).one()
        for name, table in COUNTED.items()
    }
