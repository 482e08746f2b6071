"""Each claim and check keeps its GET /v1/claims JSON, written by the database's triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 18:30:00

``claims.page_json`` holds a claim's fields (id ... offsets) and ``checks.page_json`` its check's
(verdict ... review_status), each a JSON object in ClaimPublic's field order; corpus/claim_pages.py
joins the two into a page's items. Triggers recompute them on every insert and update, whoever
writes, so they are never stale (tests/api/test_claim_pages.py compares them with the pydantic
view after writes, re-checks and corrections, on both databases).

SQLite: AFTER triggers. A later migration that makes batch mode recreate ``claims`` or ``checks``
(copy and move) drops them: create them again with ``SQLITE_TRIGGERS``.
PostgreSQL: BEFORE triggers calling plpgsql functions.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite_real(column: str) -> str:
    """A REAL as a JSON number that reads back as the same double (SQLite 3.40's JSON keeps 15
    significant digits: 17 when 15 do not round-trip); inf, which JSON has not, as null."""
    short, exact = f"printf('%!.15g', {column})", f"printf('%!.17g', {column})"
    return (
        f"CASE WHEN {column} IS NULL OR abs({column}) > 1.7976931348623157e308 THEN NULL "
        f"WHEN CAST({short} AS REAL) = {column} THEN json({short}) ELSE json({exact}) END"
    )


SQLITE_CLAIM = f"""json_object(
    'id', id, 'article_id', article_id, 'subject', subject, 'metric', metric,
    'value', {_sqlite_real("value")}, 'unit', unit, 'low', {_sqlite_real("low")},
    'high', {_sqlite_real("high")},
    'approx', json(CASE WHEN approx THEN 'true' ELSE 'false' END), 'bound', bound,
    'start', start, 'end', "end", 'session', session, 'kind', kind, 'text', text,
    'offsets', json_array(offset_start, offset_end))"""
SQLITE_CHECK = f"""json_object(
    'verdict', verdict, 'reason', reason, 'computed', {_sqlite_real("computed")},
    'evidence', json(evidence), 'review_status', review_status)"""
CLAIM_COLUMNS = (
    'article_id, subject, metric, value, unit, low, high, approx, bound, start, "end", session, '
    "kind, text, offset_start, offset_end"
)
CHECK_COLUMNS = "verdict, reason, computed, evidence, review_status"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {table}_page_json_{event} AFTER {on} ON {table}
    BEGIN UPDATE {table} SET page_json = {expression} WHERE id = NEW.id; END"""
    for table, expression, columns in (
        ("claims", SQLITE_CLAIM, CLAIM_COLUMNS),
        ("checks", SQLITE_CHECK, CHECK_COLUMNS),
    )
    for event, on in (("insert", "INSERT"), ("update", f"UPDATE OF {columns}"))
]

POSTGRESQL_CLAIM = """json_build_object(
    'id', NEW.id, 'article_id', NEW.article_id, 'subject', NEW.subject, 'metric', NEW.metric,
    'value', NEW.value, 'unit', NEW.unit, 'low', NEW.low, 'high', NEW.high,
    'approx', NEW.approx, 'bound', NEW.bound, 'start', NEW.start, 'end', NEW."end",
    'session', NEW.session, 'kind', NEW.kind, 'text', NEW.text,
    'offsets', json_build_array(NEW.offset_start, NEW.offset_end))::text"""
POSTGRESQL_CHECK = """json_build_object(
    'verdict', NEW.verdict, 'reason', NEW.reason, 'computed', NEW.computed,
    'evidence', NEW.evidence, 'review_status', NEW.review_status)::text"""
POSTGRESQL_TRIGGERS = [
    statement
    for table, expression in (("claims", POSTGRESQL_CLAIM), ("checks", POSTGRESQL_CHECK))
    for statement in (
        f"""CREATE FUNCTION {table}_page_json() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.page_json := {expression}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER {table}_page_json BEFORE INSERT OR UPDATE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_page_json()""",
    )
]


def upgrade() -> None:
    for table in ("claims", "checks"):
        op.add_column(table, sa.Column("page_json", sa.Text(), nullable=True))
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        op.execute(f"UPDATE claims SET page_json = {SQLITE_CLAIM}")
        op.execute(f"UPDATE checks SET page_json = {SQLITE_CHECK}")
    else:
        for statement in POSTGRESQL_TRIGGERS:
            op.execute(statement)
        op.execute("UPDATE claims SET page_json = NULL")  # the triggers fill them in
        op.execute("UPDATE checks SET page_json = NULL")


def downgrade() -> None:
    for table in ("checks", "claims"):
        if op.get_context().dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_page_json_insert")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_page_json_update")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_page_json ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_page_json()")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("page_json")
