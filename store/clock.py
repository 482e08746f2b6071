"""``utc_now()``: the current time as the tables store it (timezone-aware UTC)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, timezone-aware UTC (what the tables store)."""
    return datetime.now(UTC)
