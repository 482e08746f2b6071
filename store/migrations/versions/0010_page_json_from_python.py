"""The GET /v1/claims JSON is written from Python with each row; the triggers go

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 17:40:00

Migrations 0003 and 0004 had the database build ``claims.page_json`` and ``checks.page_json`` in
triggers, two SQL dialects that had to follow ClaimPublic's fields by hand. store/rows.py now
writes both from the contract's ``to_dict()`` in the transaction that writes the row, and a
claim's JSON no longer holds its id (store/claim_pages.py puts the id first). Up: the triggers
(and PostgreSQL's trigger functions) are dropped and each claim's JSON loses its leading
``"id"`` member; the check JSON keeps its shape. Down: 0004's claim triggers and 0003's check
triggers come back and rewrite every row's JSON.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _revision(name: str) -> ModuleType:
    """An earlier migration: the trigger SQL a downgrade restores."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"newsclaims_migration_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


SQLITE_TRIGGERS = [f"{table}_page_json_{event}" for table in ("claims", "checks")
                   for event in ("insert", "update")]  # fmt: skip
# '{"id":7,"article_id":...}' (SQLite) or '{"id" : 7, "article_id" : ...}' (PostgreSQL) ->
# '{"article_id":...}': everything from the second member on.
SQLITE_DROP_ID = """UPDATE claims SET page_json = '{' || substr(page_json,
    instr(page_json, '"article_id"')) WHERE page_json IS NOT NULL"""
POSTGRESQL_DROP_ID = """UPDATE claims SET page_json = '{' || substr(page_json,
    strpos(page_json, '"article_id"')) WHERE page_json IS NOT NULL"""


def upgrade() -> None:
    if _sqlite():
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(SQLITE_DROP_ID)
        return
    for table in ("claims", "checks"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_page_json ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_page_json()")
    op.execute(POSTGRESQL_DROP_ID)


def downgrade() -> None:
    before = _revision("0003_claim_page_json.py")
    basis = _revision("0004_claim_basis_and_excess.py")
    if _sqlite():
        checks = [s for s in before.SQLITE_TRIGGERS if " ON checks" in s]
        for statement in basis.SQLITE_TRIGGERS + checks:
            op.execute(statement)
        op.execute(f"UPDATE claims SET page_json = {basis.SQLITE_CLAIM}")
        op.execute(f"UPDATE checks SET page_json = {before.SQLITE_CHECK}")
        return
    checks = [s for s in before.POSTGRESQL_TRIGGERS if "checks" in s]
    claims = [s for s in before.POSTGRESQL_TRIGGERS if "claims" in s]
    for statement in [basis._postgresql_function(basis.POSTGRESQL_CLAIM), *claims[1:], *checks]:
        op.execute(statement)
    op.execute("UPDATE claims SET page_json = NULL")  # the triggers fill them in
    op.execute("UPDATE checks SET page_json = NULL")
