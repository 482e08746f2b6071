"""Column types the tables share.

``UtcDateTime``: a moment stored as UTC (``DateTime(timezone=True)``) and always read back
timezone-aware UTC. PostgreSQL keeps it as ``timestamptz``; SQLite has no time zones and hands
back naive datetimes, so the value is written as naive UTC and UTC is put back on read.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC; a naive one is refused (its zone is unknown)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """UTC on the way in: naive UTC for SQLite, aware for PostgreSQL."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime has no time zone to store: {value!r}")
        moment = value.astimezone(UTC)
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware UTC on the way out, whichever database it came from."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
