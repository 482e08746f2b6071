"""Each article keeps its published time, not only its date

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09 10:00:00

``articles.published_at`` is the published time when the source gives one (a file's ISO
timestamp, a feed entry's time, a submitted datetime), what the worker extracts with so moves are
placed in the trading session. It is a moment in UTC: ``timestamptz`` on PostgreSQL, naive UTC on
SQLite, which has no time zones (corpus/columns.py UtcDateTime puts UTC back on read). Articles
stored before it have none (null in the API); ``published`` keeps their date.

SQLite: the column is added and dropped with plain ALTER TABLE (3.35+), never batch mode, whose
copy-and-move of ``articles`` would, with foreign keys on, cascade into every fact table and drop
the triggers of 0003 and 0004.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "published_at")
