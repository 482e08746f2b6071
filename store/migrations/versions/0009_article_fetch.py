"""Articles fetched from their link: canonical URL, partial flag, page metadata, fetch outcome

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 17:30:00

A feed item or a submitted link is stored in state ``fetching`` (its teaser as text, if any) and
fetched by the worker; these columns keep what the page gave: ``canonical_url`` (the identity
duplicates are found by, tracking parameters removed), ``author``, ``site_name``, when it was
fetched and the last fetch error, and ``partial`` (a paywall or a teaser: the summary kept).

Written on a branch beside another migration 0008: revises 0007 here, re-pointed at 0008 when
both are merged. SQLite: columns added and dropped with plain ALTER TABLE (3.35+), as 0005 does.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("canonical_url", AutoString(), nullable=True))
    op.create_index("ix_articles_canonical_url", "articles", ["canonical_url"])
    op.add_column(
        "articles", sa.Column("partial", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("articles", sa.Column("author", AutoString(), nullable=True))
    op.add_column("articles", sa.Column("site_name", AutoString(), nullable=True))
    op.add_column("articles", sa.Column("fetched_at", UTCDateTime(), nullable=True))
    op.add_column("articles", sa.Column("fetch_error", sa.Text(), nullable=True))


def downgrade() -> None:
    for name in ("fetch_error", "fetched_at", "site_name", "author", "partial"):
        op.drop_column("articles", name)
    op.drop_index("ix_articles_canonical_url", table_name="articles")
    op.drop_column("articles", "canonical_url")
