"""A dismissal or correction says why: ``reviews.reason``

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 14:15:00

One value of ``store.discrepancies.ReviewReason`` (wrong_subject, wrong_metric, wrong_period,
wrong_session, not_a_claim, bad_market_data, other), so that reviewers' dismissals can be counted
(GET /v1/reviews/stats) and teach the extractor. Confirmations and decisions made before this
migration have none (null).

SQLite: the column is added and dropped with plain ALTER TABLE (3.35+), as 0005 does.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reviews", sa.Column("reason", sa.String(), nullable=True))
    op.create_index("ix_reviews_reason", "reviews", ["reason"])


def downgrade() -> None:
    op.drop_index("ix_reviews_reason", table_name="reviews")
    op.drop_column("reviews", "reason")
