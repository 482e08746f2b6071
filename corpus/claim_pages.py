"""Pages of GET /v1/claims serialised by the database: each claim's JSON object is built in SQL
(SQLite's ``json_object``, PostgreSQL's ``json_build_object``, as PostgREST does), so a page is one
query and a join of strings instead of a thousand Python objects built, converted and encoded
again (bench/api_speed.py: a third off a page's time).

The objects have ClaimPublic's fields (api/schemas.py); tests/api/test_claim_pages.py holds every
item equal to GET /v1/claims/{id}, which builds the same claim through pydantic, on both
databases.
"""

from __future__ import annotations

import functools
from typing import Any

from psycopg_pool import AsyncConnectionPool
from sqlalchemy import (
    ColumnElement,
    Engine,
    Float,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import psycopg

from corpus.store import CLAIM_CONDITIONS, ClaimFilter
from corpus.tables import CheckRow, ClaimRow

CLAIMS = ClaimRow.__table__.c  # type: ignore[attr-defined]
CHECKS = CheckRow.__table__.c  # type: ignore[attr-defined]
# ClaimPublic's fields in its order, each the column it is read from.
PLAIN = (
    ("id", CLAIMS.id), ("article_id", CLAIMS.article_id), ("subject", CLAIMS.subject),
    ("metric", CLAIMS.metric), ("value", CLAIMS.value), ("unit", CLAIMS.unit),
    ("low", CLAIMS.low), ("high", CLAIMS.high), ("approx", CLAIMS.approx),
    ("bound", CLAIMS.bound), ("start", CLAIMS.start), ("end", CLAIMS.end),
    ("session", CLAIMS.session), ("kind", CLAIMS.kind), ("text", CLAIMS.text),
    ("offsets", None), ("verdict", CHECKS.verdict), ("reason", CHECKS.reason),
    ("computed", CHECKS.computed), ("evidence", None), ("review_status", CHECKS.review_status),
)  # fmt: skip


FLOATS = frozenset({"value", "low", "high", "computed"})
MAX_DOUBLE = 1.7976931348623157e308


def _sqlite_real(column: Any) -> ColumnElement[Any]:
    """A REAL as JSON that reads back as the same double: SQLite 3.40's json_object keeps 15
    significant digits (0.30000000000000004 would come out 0.3), so 17 when 15 do not do."""
    short = func.printf(literal_column("'%!.15g'"), column)
    exact = func.printf(literal_column("'%!.17g'"), column)
    return case(
        (column.is_(None), None),
        (func.abs(column) > MAX_DOUBLE, None),  # inf: no JSON number (the extractor drops them)
        (cast(short, Float) == column, func.json(short)),
        else_=func.json(exact),
    )


def _sqlite_object() -> ColumnElement[Any]:
    """One claim as JSON text, in SQLite's JSON functions."""
    arguments: list[Any] = []
    for name, column in PLAIN:
        if name == "offsets":
            value: Any = func.json_array(CLAIMS.offset_start, CLAIMS.offset_end)
        elif name == "evidence":  # stored as JSON text; an unchecked claim has none: {}
            value = func.json(func.coalesce(CHECKS.evidence, literal_column("'{}'")))
        elif name in FLOATS:
            value = _sqlite_real(column)
        elif name == "approx":  # SQLite keeps booleans as 0 and 1
            value = func.json(
                case((CLAIMS.approx, literal_column("'true'")), else_=literal_column("'false'"))
            )
        else:
            value = column
        arguments += [literal_column(f"'{name}'"), value]
    return func.json_object(*arguments, type_=Text)


def _postgresql_object() -> ColumnElement[Any]:
    """One claim as JSON text, in PostgreSQL's JSON functions."""
    arguments: list[Any] = []
    for name, column in PLAIN:
        if name == "offsets":
            value: Any = func.json_build_array(CLAIMS.offset_start, CLAIMS.offset_end)
        elif name == "evidence":
            value = func.coalesce(CHECKS.evidence, literal_column("'{}'::json"))
        else:
            value = column
        arguments += [literal_column(f"'{name}'"), value]
    return cast(func.json_build_object(*arguments), Text)


@functools.cache
def _statement(dialect: str, filters: frozenset[str]) -> Select[Any]:
    """The page query for one database and one set of filters."""
    claim = _sqlite_object() if dialect == "sqlite" else _postgresql_object()
    return (
        select(CLAIMS.id, claim.label("claim"))
        .select_from(ClaimRow)
        .join(CheckRow, CHECKS.claim_id == CLAIMS.id, isouter=True)
        .where(*(CLAIM_CONDITIONS[name] for name in sorted(filters)))
        .order_by(CLAIMS.id)
        .limit(bindparam("limit", type_=Integer))
    )


@functools.cache
def _compiled(dialect: str, filters: frozenset[str]) -> tuple[str, dict[str, Any]]:
    """The page query as the driver's SQL (named parameters) and its parameters' defaults,
    compiled once: SQLAlchemy's per-execution work was a sixth of a page's time."""
    target = SQLITE if dialect == "sqlite" else POSTGRESQL
    compiled = _statement(dialect, filters).compile(dialect=target)
    return str(compiled), dict(compiled.params)


SQLITE = sqlite.dialect(paramstyle="named")
POSTGRESQL = psycopg.dialect()  # type: ignore[no-untyped-call]


def _parameters(
    dialect: str, filters: ClaimFilter, after: int | None, limit: int
) -> tuple[str, dict[str, Any]]:
    values = filters.bound(after)
    sql, defaults = _compiled(dialect, frozenset(values))
    return sql, defaults | values | {"limit": limit}


def claim_page(
    engine: Engine, filters: ClaimFilter, *, after: int | None = None, limit: int = 50
) -> list[tuple[int, str]]:
    """Claims matching ``filters`` after id ``after``, in id order: (id, the claim as JSON text).
    On a pooled connection of ``engine``, through the driver."""
    sql, parameters = _parameters(engine.dialect.name, filters, after, limit)
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql, parameters)
        return [(row[0], row[1]) for row in cursor.fetchall()]
    finally:
        connection.close()  # back to the pool


async def claim_page_async(
    pool: AsyncConnectionPool, filters: ClaimFilter, *, after: int | None = None, limit: int = 50
) -> list[tuple[int, str]]:
    """``claim_page`` on PostgreSQL without blocking the event loop: the server builds the JSON
    while the API serves other requests (bench/api_speed.py: +70 % requests/s)."""
    sql, parameters = _parameters("postgresql", filters, after, limit)
    async with pool.connection() as connection:
        cursor = await connection.execute(sql, parameters, prepare=True)
        return [(row[0], row[1]) for row in await cursor.fetchall()]
