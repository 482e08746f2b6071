"""Trading-day arithmetic for time expressions: the calendars, ``Period`` and the span helpers.

Pure calendar arithmetic relative to the article's date. Trading days come from a
``TradingCalendar`` that the caller passes in (the checker's XNYS calendar in production,
``WeekdayCalendar`` in unit tests), so the extractor needs no market data and no calendar package.
``Resolver`` holds one article's two anchoring dates: ``published`` (what "on Friday" and
"yesterday" count back from) and ``anchor`` (where a period that runs "to date" ends: the as-of
date, else the article's date). The span helpers (``year_span``, ``month_span``, ``past``,
``shift``, ...) turn a calendar unit into a ``Period``.

Time expressions take four modules, importing one way: ``extractor.timex`` is the rule table
(which phrases are dates, and of what kind), this module the calendar arithmetic,
``extractor.timex_resolvers`` a resolver per rule kind, and ``extractor.timex_resolve`` joins them
(``find_periods``, ``resolve_text``). This module imports none of the others.
"""

from __future__ import annotations

import calendar as _monthdays
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from extractor.types import Session

# The exchange's clock: a published time is read as New York time to place it in the session.
EXCHANGE_TIME = ZoneInfo("America/New_York")


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


# Labels that carry only a session or a clock time, no dates.
SESSION_ONLY = frozenset({"session", "session_local", "clock"})


@dataclass(frozen=True, slots=True)
class Resolver:
    """Calendar arithmetic for one article.

    ``published`` is what weekdays count back from, ``anchor`` where to-date periods end.
    ``latest`` is the calendar date in Asia at the published time: a piece filed on a US evening
    reports Tokyo's or Seoul's session "on Tuesday" while New York's date is still Monday.
    """

    calendar: TradingCalendar
    published: date | None
    anchor: date | None
    latest: date | None = None

    def on_or_before(self, day: date) -> date:
        """The trading day a calendar date resolves to."""
        return self.calendar.session_on_or_before(day)

    def before(self, day: date) -> date:
        """The last trading day strictly before ``day`` (a period's ``start``)."""
        return self.calendar.previous_session(day)

    def day(self, day: date) -> Period:
        """The one-session move on ``day`` (or the session before it when it was a holiday)."""
        end = self.on_or_before(day)
        return Period(self.before(end), end, label="day")

    def span(self, first: date, last: date, label: str) -> Period:
        """Calendar days ``first``..``last`` as trading days; ``last`` is capped at the anchor."""
        if self.anchor is not None and last > self.anchor:
            last = self.anchor
        return Period(self.before(first), self.on_or_before(last), label=label)

    def to_date(self, first: date, label: str) -> Period | None:
        """From ``first`` (inclusive) up to the anchor."""
        if self.anchor is None:
            return None
        return Period(self.before(first), self.on_or_before(self.anchor), label=label)

    def weekday(self, weekday: int) -> date | None:
        """The most recent such weekday on or before the published date (Asia's, when later)."""
        ref = self.latest or self.published
        if ref is None:
            return None
        return ref - timedelta(days=(ref.weekday() - weekday) % 7)

    def sessions_back(self, count: int, end: date) -> Period:
        """The ``count`` sessions ending with ``end``."""
        start = end
        for _ in range(count):
            start = self.before(start)
        return Period(start, end, label="sessions")


def year_span(resolver: Resolver, year: int) -> Period | None:
    """A calendar year: year-to-date for the anchor's year, a forecast for a later one."""
    anchor = resolver.anchor
    if anchor is not None and year > anchor.year:
        end = resolver.on_or_before(date(year, 12, 31))
        return Period(resolver.on_or_before(anchor), end, label="forecast")
    if anchor is not None and year == anchor.year:
        return resolver.to_date(date(year, 1, 1), "ytd")
    return resolver.span(date(year, 1, 1), date(year, 12, 31), "year")


def month_span(resolver: Resolver, month: int, year: int | None) -> Period | None:
    """A named month: this year's (last year's when it has not begun yet), or ``year``'s."""
    anchor = resolver.anchor
    if year is None:
        if anchor is None:
            return None
        year = anchor.year if month <= anchor.month else anchor.year - 1
    last = date(year, month, _monthdays.monthrange(year, month)[1])
    label = "mtd" if anchor is not None and date(year, month, 1) <= anchor <= last else "month"
    return resolver.span(date(year, month, 1), last, label)


def quarter_span(resolver: Resolver, quarter: int, year: int | None) -> Period | None:
    """A calendar quarter, this year's unless it has not begun yet."""
    anchor = resolver.anchor
    if year is None:
        if anchor is None:
            return None
        year = anchor.year if 3 * quarter - 2 <= anchor.month else anchor.year - 1
    first = date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    last = date(year, last_month, _monthdays.monthrange(year, last_month)[1])
    return resolver.span(first, last, "quarter")


def shift(day: date, *, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0) -> date:
    """``day`` moved by calendar units (month ends clamp: Mar 31 - 1 month = Feb 28)."""
    month_index = day.year * 12 + day.month - 1 + years * 12 + months
    year, month = divmod(month_index, 12)
    month += 1
    clamped = min(day.day, _monthdays.monthrange(year, month)[1])
    return date(year, month, clamped) + timedelta(weeks=weeks, days=days)


def past(resolver: Resolver, *, years: int = 0, months: int = 0, weeks: int = 0) -> Period | None:
    """ "Over the past N units": from the same date N units back to the anchor."""
    anchor = resolver.anchor
    if anchor is None:
        return None
    first = shift(anchor, years=-years, months=-months, weeks=-weeks)
    return Period(resolver.on_or_before(first), resolver.on_or_before(anchor), label="past")


def ahead(resolver: Resolver, *, years: int = 0, months: int = 0) -> Period | None:
    """A forecast horizon ("in 12 months") counted from the published date."""
    anchor, base = resolver.anchor, resolver.published or resolver.anchor
    if anchor is None or base is None:
        return None
    end = resolver.on_or_before(shift(base, years=years, months=months))
    return Period(resolver.on_or_before(anchor), end, label="forecast")


def week_span(resolver: Resolver, weeks_back: int) -> Period | None:
    """This week (to date) or the full week ``weeks_back`` weeks ago."""
    anchor = resolver.anchor
    if anchor is None:
        return None
    monday = anchor - timedelta(days=anchor.weekday()) - timedelta(weeks=weeks_back)
    if weeks_back == 0:
        return resolver.to_date(monday, "week")
    return resolver.span(monday, monday + timedelta(days=6), "week")


def default_period(calendar: TradingCalendar, published: date | None) -> Period:
    """The article's default: the one-session move ending on the published date's session."""
    if published is None:
        return Period(None, None, label="default")
    end = calendar.session_on_or_before(published)
    return Period(calendar.previous_session(end), end, label="default")


def clock_session(hour: int, minute: int) -> Session | None:
    """The session a wall-clock time (US Eastern) falls in; None from the close on."""
    minutes = hour * 60 + minute
    if minutes < 9 * 60 + 30:
        return "premarket"
    if minutes < 16 * 60:
        return "intraday"
    return None
