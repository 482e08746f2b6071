"""Time expressions ("year-to-date", "on Tuesday", "since April") -> trading-day periods.

Pure calendar arithmetic relative to the article's date. Trading days come from a
``TradingCalendar`` that the caller passes in (the checker's XNYS calendar in production,
``WeekdayCalendar`` in unit tests), so the extractor needs no market data and no calendar package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from extractor.types import Session


class TradingCalendar(Protocol):
    """The two questions period resolution asks of an exchange calendar."""

    def session_on_or_before(self, day: date) -> date:
        """The last trading day on or before ``day``."""
        ...

    def previous_session(self, day: date) -> date:
        """The last trading day strictly before ``day``."""
        ...


class WeekdayCalendar:
    """Monday to Friday, no holidays: for tests and for running without an exchange calendar."""

    def session_on_or_before(self, day: date) -> date:
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day

    def previous_session(self, day: date) -> date:
        return self.session_on_or_before(day - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Period:
    """A resolved period: ``start`` is the last trading day before it, ``end`` its last trading day.

    A point in time (an as-of date, "on Friday" for a level) has ``start`` None. ``session`` is set
    when the expression places a move inside or outside the regular session ("in the afternoon").
    """

    start: date | None
    end: date | None
    session: Session | None = None
    label: str = ""  # what kind of expression it was: "ytd", "day", "week", "as_of", "since", ...
