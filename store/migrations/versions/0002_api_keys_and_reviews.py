"""API keys, review corrections and the review status of checks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", AutoString(length=64), nullable=False),
        sa.Column("prefix", AutoString(length=16), nullable=False),
        sa.Column("role", AutoString(), nullable=False),
        sa.Column("name", AutoString(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_hash"),
    )
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_status", AutoString(), nullable=True))
        batch_op.create_index(batch_op.f("ix_checks_review_status"), ["review_status"])
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("correction", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("verdict_before", AutoString(), nullable=True))
        batch_op.add_column(sa.Column("verdict_after", AutoString(), nullable=True))
        batch_op.add_column(sa.Column("computed_before", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("computed_after", sa.Float(), nullable=True))
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index("ix_claims_subject_id", ["subject", "id"])


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_subject_id")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        for name in (
            "computed_after",
            "computed_before",
            "verdict_after",
            "verdict_before",
            "correction",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checks_review_status"))
        batch_op.drop_column("review_status")
    op.drop_table("api_keys")
