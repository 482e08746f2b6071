"""Review sign-outs end the session on the server

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 13:50:00

``api_keys.session_generation`` counts the key's review sign-outs. The review pages' signed
cookie carries the generation it was issued under, and a cookie from an older generation is
refused: signing out ends the session on the server, and a copied cookie replayed after the
sign-out no longer signs anyone in. Existing keys start at 0.

SQLite: the column is added and dropped with plain ALTER TABLE (3.35+), as 0005 does.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "api_keys",
        sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("api_keys", "session_generation")
