"""NYSE trading days (exchange_calendars' XNYS), answered from a sorted list with bisect.

Dates outside the calendar's span fall back to weekdays, so a far-future forecast date
still resolves.
"""

from __future__ import annotations

import warnings
from bisect import bisect_left, bisect_right
from datetime import date

import exchange_calendars as xcals

from extractor.dates import WeekdayCalendar

# XNYS's span: far enough back for any price file we hold, far enough ahead for multi-year targets.
FIRST = "1995-01-03"
LAST = "2035-12-31"


class NyseCalendar:
    """TradingCalendar for the New York Stock Exchange."""

    def __init__(self, first: str = FIRST, last: str = LAST) -> None:
        with warnings.catch_warnings():  # pandas 3 deprecation inside exchange_calendars
            warnings.simplefilter("ignore", DeprecationWarning)
            sessions = xcals.get_calendar("XNYS", start=first, end=last).sessions
        self._days: list[date] = [ts.date() for ts in sessions]
        self._weekdays = WeekdayCalendar()

    def _inside(self, day: date) -> bool:
        return self._days[0] <= day <= self._days[-1]

    def is_session(self, day: date) -> bool:
        """Whether the exchange traded on ``day``."""
        i = bisect_left(self._days, day)
        return i < len(self._days) and self._days[i] == day

    def session_on_or_before(self, day: date) -> date:
        """The last trading day on or before ``day``."""
        if not self._inside(day):
            return self._weekdays.session_on_or_before(day)
        return self._days[bisect_right(self._days, day) - 1]

    def previous_session(self, day: date) -> date:
        """The last trading day strictly before ``day``."""
        if not self._inside(day) or day == self._days[0]:
            return self._weekdays.previous_session(day)
        return self._days[bisect_left(self._days, day) - 1]

    def sessions(self, start: date, end: date) -> list[date]:
        """Trading days in [start, end]."""
        return self._days[bisect_left(self._days, start) : bisect_right(self._days, end)]
