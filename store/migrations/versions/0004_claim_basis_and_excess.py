"""Each claim keeps its basis (how its reading was decided), each check its excess

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00

``claims.basis`` is the extractor's Basis as JSON ({"subject", "period", "session"}); claims
stored before it have none (null in the API). ``checks.excess`` is ``evidence["excess"]`` in a
column, how many tolerances a claim is off, what the review queue is ordered by; it is filled
from the evidence of checks that have one.

The API's claim JSON gains ``basis`` after ``offsets`` (ClaimPublic's field order), so the claim
triggers of 0003 are replaced: SQLite's are dropped and created again (the update trigger also
fires on ``basis``), PostgreSQL's function is replaced. The check JSON is unchanged: the excess
is already in its ``evidence``. Every claim's ``page_json`` is rewritten on the way up and down.

SQLite: both columns are added and dropped with plain ALTER TABLE (3.35+), never batch mode,
whose copy-and-move would drop 0003's triggers and, with foreign keys on, cascade the drop of
``claims`` into ``checks`` and ``reviews``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision_0003() -> ModuleType:
    """Migration 0003: its number formatting, and the claim triggers a downgrade restores."""
    path = Path(__file__).with_name("0003_claim_page_json.py")
    spec = importlib.util.spec_from_file_location("newsclaims_migration_0003", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PREVIOUS = _revision_0003()
real = PREVIOUS._sqlite_real

SQLITE_CLAIM = f"""json_object(
    'id', id, 'article_id', article_id, 'subject', subject, 'metric', metric,
    'value', {real("value")}, 'unit', unit, 'low', {real("low")}, 'high', {real("high")},
    'approx', json(CASE WHEN approx THEN 'true' ELSE 'false' END), 'bound', bound,
    'start', start, 'end', "end", 'session', session, 'kind', kind, 'text', text,
    'offsets', json_array(offset_start, offset_end), 'basis', json(basis))"""
CLAIM_COLUMNS = f"{PREVIOUS.CLAIM_COLUMNS}, basis"
TRIGGER_NAMES = ("claims_page_json_insert", "claims_page_json_update")
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER claims_page_json_{event} AFTER {on} ON claims
    BEGIN UPDATE claims SET page_json = {SQLITE_CLAIM} WHERE id = NEW.id; END"""
    for event, on in (("insert", "INSERT"), ("update", f"UPDATE OF {CLAIM_COLUMNS}"))
]
# 0003's claim triggers, put back by a downgrade.
SQLITE_TRIGGERS_0003 = [s for s in PREVIOUS.SQLITE_TRIGGERS if " ON claims" in s]

POSTGRESQL_CLAIM = """json_build_object(
    'id', NEW.id, 'article_id', NEW.article_id, 'subject', NEW.subject, 'metric', NEW.metric,
    'value', NEW.value, 'unit', NEW.unit, 'low', NEW.low, 'high', NEW.high,
    'approx', NEW.approx, 'bound', NEW.bound, 'start', NEW.start, 'end', NEW."end",
    'session', NEW.session, 'kind', NEW.kind, 'text', NEW.text,
    'offsets', json_build_array(NEW.offset_start, NEW.offset_end), 'basis', NEW.basis)::text"""


def _postgresql_function(expression: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION claims_page_json() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN NEW.page_json := {expression}; RETURN NEW; END $$"""


SQLITE_EXCESS = """UPDATE checks SET excess = json_extract(evidence, '$.excess')
    WHERE json_type(evidence, '$.excess') IN ('integer', 'real')"""
POSTGRESQL_EXCESS = """UPDATE checks SET excess = (evidence ->> 'excess')::double precision
    WHERE json_typeof(evidence -> 'excess') = 'number'"""


def _sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def upgrade() -> None:
    op.add_column("claims", sa.Column("basis", sa.JSON(), nullable=True))
    op.add_column("checks", sa.Column("excess", sa.Float(), nullable=True))
    if _sqlite():
        for name in TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        op.execute(f"UPDATE claims SET page_json = {SQLITE_CLAIM}")
        op.execute(SQLITE_EXCESS)
    else:
        op.execute(_postgresql_function(POSTGRESQL_CLAIM))
        op.execute("UPDATE claims SET page_json = NULL")  # the trigger fills it in
        op.execute(POSTGRESQL_EXCESS)


def downgrade() -> None:
    if _sqlite():
        for name in TRIGGER_NAMES:  # they name basis: SQLite refuses to drop it under them
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_column("checks", "excess")
    op.drop_column("claims", "basis")
    if _sqlite():
        for statement in SQLITE_TRIGGERS_0003:
            op.execute(statement)
        op.execute(f"UPDATE claims SET page_json = {PREVIOUS.SQLITE_CLAIM}")
    else:
        op.execute(_postgresql_function(PREVIOUS.POSTGRESQL_CLAIM))
        op.execute("UPDATE claims SET page_json = NULL")
