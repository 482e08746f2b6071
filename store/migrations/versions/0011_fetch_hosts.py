"""Fetch politeness shared by every process: ``fetch_hosts``

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 21:50:00

One row per host the worker fetches article pages from (store/hosts.py): its next free request
slot, claimed with a conditional UPDATE so that workers in several processes ask a host at most
once per NEWSCLAIMS_FETCH_HOST_INTERVAL; the hold a Retry-After or an error backoff put on it;
its consecutive failures; and its robots.txt as last read (status, body, validators, Crawl-delay
and when), so a robots.txt read by one process serves them all. Down: the table is dropped (the
state is a cache: the next fetch starts it afresh).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # store.columns.UtcDateTime


def upgrade() -> None:
    op.create_table(
        "fetch_hosts",
        sa.Column("host", AutoString(), nullable=False),
        sa.Column("next_at", MOMENT, nullable=False),
        sa.Column("held_until", MOMENT, nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("crawl_delay", sa.Float(), nullable=True),
        sa.Column("robots_status", sa.Integer(), nullable=True),
        sa.Column("robots_body", sa.Text(), nullable=True),
        sa.Column("robots_etag", AutoString(), nullable=True),
        sa.Column("robots_modified", AutoString(), nullable=True),
        sa.Column("robots_read_at", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("host"),
    )


def downgrade() -> None:
    op.drop_table("fetch_hosts")
