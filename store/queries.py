"""Facts in, counts out: save_extraction(), save_checks(), fact_counts(), and the queries the API
pages through (keyset on id: ``after`` is the last id seen). Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    bindparam,
    func,
    insert,
)
from sqlmodel import Session, col, select

from checker import Check
from extractor import Extraction
from store.queue import insert_for
from store.rows import check_values, claim_values
from store.tables import (
    Article,
    CheckRow,
    ClaimRow,
    FigureRow,
    InstrumentRow,
    QuoteRow,
    TickerMention,
)

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
        statement = insert_for(session, InstrumentRow).on_conflict_do_nothing()
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
    claims = [claim_values(article_id, i, c) for i, c in enumerate(extraction.claims)]
    returning = insert(ClaimRow).returning(col(ClaimRow.id), sort_by_parameter_order=True)
    return list(session.execute(returning, claims).scalars())


def _ticker(article_id: int, ticker: Any) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "symbol": ticker.symbol,
        "name": ticker.name,
        "mentions": [list(m) for m in ticker.mentions],
    }


def save_checks(session: Session, checks: Sequence[tuple[int, Check]], *, now: datetime) -> None:
    """Write each (claim id, Check); an unchecked claim (verdict None) gets a row too."""
    rows = [
        {"claim_id": claim_id, "checked_at": now, **check_values(check)}
        for claim_id, check in checks
    ]
    if rows:
        session.execute(insert(CheckRow), rows)


def fact_counts(session: Session) -> dict[str, int]:
    """Rows per kind of fact; "tickers" counts (article, instrument) pairs."""
    return {
        name: session.exec(select(func.count()).select_from(table)).one()
        for name, table in COUNTED.items()
    }


# --- queries the API pages through -----------------------------------------------------------

FACTS: dict[str, Any] = {
    "tickers": TickerMention,
    "figures": FigureRow,
    "quotes": QuoteRow,
    "claims": ClaimRow,
}
ClaimWithCheck = tuple[ClaimRow, CheckRow | None]


def article_counts(session: Session, article_id: int) -> dict[str, int]:
    """An article's facts per kind."""
    return {
        name: session.exec(
            select(func.count()).select_from(table).where(table.article_id == article_id)
        ).one()
        for name, table in FACTS.items()
    }


def list_articles(
    session: Session,
    *,
    state: str | None = None,
    source: str | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[Article]:
    """Articles in id order, filtered."""
    statement = select(Article).order_by(col(Article.id)).limit(limit)
    if state is not None:
        statement = statement.where(col(Article.status) == state)
    if source is not None:
        statement = statement.where(col(Article.source) == source)
    if published_from is not None:
        statement = statement.where(col(Article.published) >= published_from)
    if published_to is not None:
        statement = statement.where(col(Article.published) <= published_to)
    if after is not None:
        statement = statement.where(col(Article.id) > after)
    return list(session.exec(statement))


def article_facts(
    session: Session, article_id: int, kind: str, *, after: int | None = None, limit: int = 50
) -> list[Any]:
    """One article's facts of one kind ("tickers", "figures", "quotes"), in id order."""
    table = FACTS[kind]
    statement = select(table).where(table.article_id == article_id).order_by(table.id)
    if after is not None:
        statement = statement.where(table.id > after)
    return list(session.exec(statement.limit(limit)))


# ClaimFilter's filters and the keyset's ``after``: conditions on parameters of the same names.
CLAIM_CONDITIONS: dict[str, ColumnElement[bool]] = {
    "symbol": col(ClaimRow.subject) == bindparam("symbol"),
    "verdict": col(CheckRow.verdict) == bindparam("verdict"),
    "kind": col(ClaimRow.kind) == bindparam("kind"),
    "metric": col(ClaimRow.metric) == bindparam("metric"),
    "article_id": col(ClaimRow.article_id) == bindparam("article_id"),
    "date_from": col(ClaimRow.end) >= bindparam("date_from"),
    "date_to": col(ClaimRow.end) <= bindparam("date_to"),
    "q": col(ClaimRow.text).icontains(bindparam("q"), escape="/"),
    "after": col(ClaimRow.id) > bindparam("after"),
}


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """GET /v1/claims's filters; None matches anything. Dates bound the claim's end date."""

    symbol: str | None = None
    verdict: str | None = None
    kind: str | None = None
    metric: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    article_id: int | None = None
    q: str | None = None

    def bound(self, after: int | None = None) -> dict[str, Any]:
        """The filters that are set (and ``after``): CLAIM_CONDITIONS's parameters."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | {"after": after}
        values = {name: value for name, value in values.items() if value is not None}
        if "q" in values:  # LIKE's wildcards, escaped with the escape character
            values["q"] = values["q"].replace("/", "//").replace("%", "/%").replace("_", "/_")
        return values


def _claims_with_checks() -> Any:
    return select(ClaimRow, CheckRow).join(
        CheckRow, col(CheckRow.claim_id) == col(ClaimRow.id), isouter=True
    )


def list_claims(
    session: Session, filters: ClaimFilter, *, after: int | None = None, limit: int = 50
) -> list[ClaimWithCheck]:
    """Claims with their checks, in id order."""
    values = filters.bound(after)
    statement = _claims_with_checks().where(*(CLAIM_CONDITIONS[name] for name in sorted(values)))
    rows = session.exec(statement.order_by(col(ClaimRow.id)).limit(limit), params=values)
    return [(claim, check) for claim, check in rows]


def get_claim(session: Session, claim_id: int) -> ClaimWithCheck | None:
    """One claim with its check; None when there is no such claim."""
    row = session.exec(_claims_with_checks().where(col(ClaimRow.id) == claim_id)).first()
    return None if row is None else (row[0], row[1])


def list_quotes(
    session: Session,
    *,
    speaker: str | None = None,
    org: str | None = None,
    q: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[QuoteRow]:
    """Quotes in id order; speaker and org match case-insensitively as substrings."""
    statement = select(QuoteRow).order_by(col(QuoteRow.id)).limit(limit)
    for value, column in ((speaker, QuoteRow.speaker), (org, QuoteRow.org), (q, QuoteRow.text)):
        if value is not None:
            statement = statement.where(col(column).icontains(value, autoescape=True))
    if after is not None:
        statement = statement.where(col(QuoteRow.id) > after)
    return list(session.exec(statement))


def ticker_mentions(
    session: Session, symbol: str, *, after: int | None = None, limit: int = 50
) -> list[TickerMention]:
    """The articles that mention ``symbol``, in id order."""
    statement = select(TickerMention).where(TickerMention.symbol == symbol)
    if after is not None:
        statement = statement.where(col(TickerMention.id) > after)
    return list(session.exec(statement.order_by(col(TickerMention.id)).limit(limit)))


def ticker_verdicts(session: Session, symbol: str) -> dict[str, int]:
    """Claims about ``symbol`` per verdict ("unchecked" for none)."""
    statement = (
        select(CheckRow.verdict, func.count())
        .select_from(ClaimRow)
        .join(CheckRow, col(CheckRow.claim_id) == col(ClaimRow.id), isouter=True)
        .where(ClaimRow.subject == symbol)
        .group_by(CheckRow.verdict)
    )
    return {verdict or "unchecked": n for verdict, n in session.exec(statement)}
