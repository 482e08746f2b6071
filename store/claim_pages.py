"""Pages of GET /v1/claims, served from JSON the database keeps: ``claims.page_json`` and
``checks.page_json`` hold each claim's (but its id) and check's fields as JSON objects, written
with the rows (store/rows.py), so a page is one query over two text columns and a join of
strings, instead of a thousand Python objects built, converted and encoded again
(bench/api_speed.py).

The items have ClaimPublic's fields (api/schemas.py); tests/api/test_claim_pages.py holds every
item equal to GET /v1/claims/{id}, which builds the same claim through pydantic, on both
databases, after inserts, re-checks and corrections.
"""

from __future__ import annotations

import functools
from typing import Any

from psycopg_pool import AsyncConnectionPool
from sqlalchemy import (
    ColumnElement,
    Engine,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import psycopg

from store.queries import CLAIM_CONDITIONS, ClaimFilter
from store.tables import CheckRow, ClaimRow

CLAIMS = ClaimRow.__table__.c  # type: ignore[attr-defined]
CHECKS = CheckRow.__table__.c  # type: ignore[attr-defined]
# The check's half of an item for a claim that has no check row.
UNCHECKED = '"verdict":null,"reason":null,"computed":null,"evidence":{},"review_status":null}'


def _item() -> ColumnElement[str]:
    """The id and the two halves joined into one object: '{"id":' + id + ',' + 'claim...' +
    ',' + 'check...}'."""
    claim = func.substr(CLAIMS.page_json, 2, func.length(CLAIMS.page_json) - 2)
    check = func.coalesce(func.substr(CHECKS.page_json, 2), UNCHECKED)
    head = literal('{"id":').concat(cast(CLAIMS.id, String)).concat(",")
    return head.concat(claim).concat(",").concat(check)


@functools.cache
def _statement(filters: frozenset[str]) -> Select[Any]:
    """The page query for one set of filters (the same SQL on both databases)."""
    return (
        select(CLAIMS.id, _item().label("claim"))
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
    compiled = _statement(filters).compile(dialect=target)
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
        cursor = await connection.execute(sql, parameters)
        return [(row[0], row[1]) for row in await cursor.fetchall()]
