"""newsclaims' storage: engines and migrations, tables, the article queue and the queries.

The queue and the queries never commit: the caller owns the transaction (style.md).
"""

from __future__ import annotations

# Where the store lives when nothing says otherwise: NEWSCLAIMS_DATABASE_URL's default, and the
# database the ``alembic`` command migrates without a URL (migrations/env.py).
DEFAULT_DATABASE_URL = "sqlite:///newsclaims.db"
