"""NYSE trading days (exchange_calendars' XNYS), answered from a sorted list with bisect.

Dates outside the calendar's span fall back to weekdays, so a far-future forecast date
still resolves. ``cached_calendar(cache_dir)`` keeps the session list as JSON, keyed by
exchange_calendars' version and the span: importing exchange_calendars (with pandas) and building
XNYS took 0.7 s of every command's start (bench/cli_start.py), and its holidays change only with
a release.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date
from importlib import metadata
from pathlib import Path

from extractor.dates import WeekdayCalendar

log = logging.getLogger(__name__)

# XNYS's span: far enough back for any price file we hold, far enough ahead for multi-year targets.
FIRST = "1995-01-03"
LAST = "2035-12-31"


class NyseCalendar:
    """TradingCalendar for the New York Stock Exchange."""

    def __init__(
        self, first: str = FIRST, last: str = LAST, *, days: Sequence[date] | None = None
    ) -> None:
        self._days: list[date] = list(days) if days is not None else xnys_sessions(first, last)
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


def xnys_sessions(first: str = FIRST, last: str = LAST) -> list[date]:
    """XNYS's trading days in [first, last], from exchange_calendars."""
    import exchange_calendars as xcals

    with warnings.catch_warnings():  # pandas 3 deprecation inside exchange_calendars
        warnings.simplefilter("ignore", DeprecationWarning)
        sessions = xcals.get_calendar("XNYS", start=first, end=last).sessions
    return [ts.date() for ts in sessions]


def cached_calendar(cache_dir: Path) -> NyseCalendar:
    """The NYSE calendar, its sessions read from ``cache_dir`` when a file for this
    exchange_calendars version and span is there, else computed and written (best effort: a
    read-only or broken cache only costs the computation)."""
    version = metadata.version("exchange_calendars")
    path = cache_dir / f"xnys-{version}-{FIRST}-{LAST}.json"
    try:
        days = [date.fromisoformat(day) for day in json.loads(path.read_text(encoding="utf-8"))]
        if days:
            return NyseCalendar(days=days)
    except (OSError, ValueError, TypeError) as err:
        if path.exists():
            log.warning("calendar cache %s unreadable (%s): rebuilt", path, err)
    days = xnys_sessions()
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps([day.isoformat() for day in days]), encoding="utf-8")
        partial.replace(path)  # whole or not at all, also with two processes starting at once
    except OSError as err:
        log.warning("calendar cache %s not written: %s", path, err)
    return NyseCalendar(days=days)
