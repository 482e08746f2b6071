"""Time expressions ("year-to-date", "on Tuesday", "since April") -> trading-day periods.

Pure calendar arithmetic relative to the article's date. Trading days come from a
``TradingCalendar`` that the caller passes in (the checker's XNYS calendar in production,
``WeekdayCalendar`` in unit tests), so the extractor needs no market data and no calendar package.

``find_periods(text, ...)`` finds every expression in a text and resolves it. Which phrases are
time expressions is ``extractor.timex``: its ``RULES`` table pairs each regex with a rule kind, and
``RESOLVERS`` below maps each kind to a small resolver. This module holds the resolution and the
public API (``Period``, the calendars, ``find_periods``, ``resolve_text``); timex imports nothing
from it. Two dates anchor the resolution: ``published`` (what "on Friday" and "yesterday" count
back from) and ``anchor`` (where a period that runs "to date" ends: the as-of date, else the
article's date).
"""

from __future__ import annotations

import calendar as _monthdays
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from extractor.timex import (
    DATE,
    RULES,
    count_value,
    month_number,
    opt_int,
    ordinal_value,
    weekday_number,
)
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


Resolve = Callable[["Resolver", dict[str, str | None]], "Period | None"]

# Labels of periods that run up to the anchor ("to date"); an as-of date in the sentence ends them.
TO_DATE = frozenset({"ytd", "mtd", "week", "since", "past"})
# Labels that carry only a session or a clock time, no dates.
SESSION_ONLY = frozenset({"session", "session_local", "clock"})


@dataclass(frozen=True, slots=True)
class Resolver:
    """Calendar arithmetic for one article.

    ``published`` is what weekdays count back from, ``anchor`` where to-date periods end.
    """

    calendar: TradingCalendar
    published: date | None
    anchor: date | None

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
        """The most recent such weekday on or before the published date."""
        if self.published is None:
            return None
        return self.published - timedelta(days=(self.published.weekday() - weekday) % 7)

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


# ---------------------------------------------------------------------------------------------
# Resolvers: the groups matched by one ``timex.RULES`` rule -> a Period (None: not a date).


def _date(r: Resolver, groups: dict[str, str | None]) -> date | None:
    """A month-day date; without a year, the latest such date on or before the published date."""
    month, day = month_number(groups["mon"] or ""), int(groups["day"] or 0)
    year = groups.get("year")
    try:
        if year:
            return date(int(year), month, day)
        ref = r.published or r.anchor
        if ref is None:
            return None
        found = date(ref.year, month, day)
        return found if found <= ref else date(ref.year - 1, month, day)
    except ValueError:  # "Feb. 30": not a date
        return None


def _weekday(r: Resolver, groups: dict[str, str | None]) -> date | None:
    return r.weekday(weekday_number(groups["wd"] or ""))


def _point(r: Resolver, g: dict[str, str | None]) -> Period | None:
    """An as-of or through date: ``end`` only."""
    day = _date(r, g) if g.get("mon") else _weekday(r, g)
    if day is None:
        return None
    session: Session | None = "intraday" if g.get("mid") else None
    return Period(None, r.on_or_before(day), session, "as_of")


def _by_year(r: Resolver, g: dict[str, str | None]) -> Period | None:
    ref = r.anchor
    year = opt_int(g, "year") or (ref.year + bool(g.get("next")) if ref else None)
    if year is None:
        return None
    end = r.on_or_before(date(year, 12, 31))
    return Period(r.on_or_before(ref) if ref else None, end, label="forecast")


def _since(r: Resolver, g: dict[str, str | None]) -> Period | None:
    if g.get("day"):
        first = _date(r, g)
    elif g.get("mon"):
        month = month_number(g["mon"] or "")
        ref = r.anchor
        year = opt_int(g, "year") or (ref.year if ref else None)
        if ref is not None and not g.get("year") and month > ref.month:
            year = ref.year - 1
        first = date(year, month, 1) if year else None
    elif g.get("wd"):
        first = _weekday(r, g)
    else:
        first = date(int(g["yr"] or 0), 1, 1)
    return r.to_date(first, "since") if first else None


def _past(r: Resolver, g: dict[str, str | None]) -> Period | None:
    n = count_value(g.get("n") or "1")
    unit = (g["unit"] or "").lower().rstrip("s")
    if unit in ("day", "session"):
        if r.anchor is None:
            return None
        end = r.on_or_before(r.anchor)
        return r.sessions_back(n, r.before(end) if g.get("prior") else end)
    if unit == "week":
        return past(r, weeks=n)
    return past(r, months=n) if unit == "month" else past(r, years=n)


def _quarter(r: Resolver, g: dict[str, str | None]) -> Period | None:
    quarter = opt_int(g, "q") or ordinal_value(g["ord"] or "")
    return quarter_span(r, quarter, opt_int(g, "year") or None)


def _day_of_week(r: Resolver, g: dict[str, str | None]) -> Period | None:
    day = _weekday(r, g)
    if day is None:
        return None
    period = r.day(day)
    edge = (g.get("edge") or "").lower()
    session: Session | None = {"early": "premarket", "late": "afterhours"}.get(edge)  # type: ignore[assignment]
    return Period(period.start, period.end, session, "day")


def _on_date(r: Resolver, g: dict[str, str | None]) -> Period | None:
    day = _date(r, g)
    return r.day(day) if day else None


def _iso(r: Resolver, g: dict[str, str | None]) -> Period | None:
    try:
        return r.day(date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0)))
    except ValueError:
        return None


def _days_ago(r: Resolver, back: int) -> Period | None:
    if r.published is None:
        return None
    return r.day(r.published - timedelta(days=back)) if back else r.day(r.published)


def _clock(r: Resolver, g: dict[str, str | None]) -> Period:
    hour, minute = int(g["h"] or 0), int(g.get("m") or 0)
    ampm = (g.get("ampm") or "").lower()
    if ampm.startswith("p") and hour < 12:
        hour += 12
    return Period(None, None, clock_session(hour, minute), "clock")


def _session(session: Session, label: str = "session") -> Resolve:
    def resolve(r: Resolver, g: dict[str, str | None]) -> Period:
        return Period(None, None, session, label)

    return resolve


# Every rule kind in ``timex.RULES`` -> how it resolves to trading days.
RESOLVERS: dict[str, Resolve] = {
    "as_of": _point,
    "clock": _clock,
    "premarket": _session("premarket"),
    "afterhours": _session("afterhours"),
    "intraday": _session("intraday"),
    "intraday_local": _session("intraday", "session_local"),
    "by_year": _by_year,
    "year_ahead": lambda r, g: ahead(r, years=1),
    "this_year": lambda r, g: year_span(r, r.anchor.year) if r.anchor else None,
    "this_month": lambda r, g: month_span(r, r.anchor.month, r.anchor.year) if r.anchor else None,
    "last_month": lambda r, g: (
        month_span(r, shift(r.anchor, months=-1).month, shift(r.anchor, months=-1).year)
        if r.anchor
        else None
    ),
    "last_week": lambda r, g: week_span(r, 1),
    "this_week": lambda r, g: week_span(r, 0),
    "past_units": _past,
    "year_ago": lambda r, g: past(r, years=1),
    "last_year": lambda r, g: year_span(r, r.anchor.year - 1) if r.anchor else None,
    "since": lambda r, g: _since(r, {**g, "mon": g.get("mon") or g.get("mon2")}),
    "quarter": _quarter,
    "in_year": lambda r, g: year_span(r, int(g["year"] or 0)),
    "in_month": lambda r, g: month_span(
        r,
        month_number(g.get("mon") or g.get("mon3") or ""),
        opt_int(g, "year") or None,
    ),
    "weekday": _day_of_week,
    "date": _on_date,
    "iso": _iso,
    "today": lambda r, g: _days_ago(r, 0),
    "yesterday": lambda r, g: _days_ago(r, 1),
}
_COMPILED = tuple((re.compile(p, re.IGNORECASE | re.MULTILINE), RESOLVERS[k]) for p, k in RULES)


@dataclass(frozen=True, slots=True)
class Mention:
    """A time expression in a text: half-open character offsets and what it resolves to."""

    start: int
    end: int
    text: str
    period: Period


def find_periods(
    text: str, *, published: date | None, calendar: TradingCalendar, anchor: date | None = None
) -> list[Mention]:
    """Every time expression in ``text``, resolved; ``anchor`` defaults to ``published``."""
    resolver = Resolver(calendar, published, anchor or published)
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for pattern, resolve in _COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            period = resolve(resolver, match.groupdict())
            if period is None:
                continue
            taken.append((start, end))
            found.append(Mention(start, end, match.group(0), period))
    return _carry_years(sorted(found, key=lambda m: m.start), resolver)


# A date written without its year ("two days later on March 17") takes the year of a full date
# ("On March 10, 2020") this many characters before it: the span of a short narrative passage.
# corpus/dev's one history passage needs 450 (three short paragraphs); 800 leaves some room while
# staying inside the passage.
CARRY_CHARS = 800
_DATED = re.compile(DATE, re.IGNORECASE)


def _carry_years(found: list[Mention], resolver: Resolver) -> list[Mention]:
    """Dates without a year inside a passage that names an earlier year keep to that year."""
    year: tuple[int, int] | None = None  # (year, where it was written)
    result = []
    for mention in found:
        match = _DATED.search(mention.text)
        if match and match.group("year"):
            year = (int(match.group("year")), mention.start)
        elif match and year and mention.start - year[1] < CARRY_CHARS:
            groups = {**match.groupdict(), "year": str(year[0])}
            period = _on_date(resolver, groups) if mention.period.label == "day" else None
            if period is not None and period.end != mention.period.end:
                mention = Mention(mention.start, mention.end, mention.text, period)
        result.append(mention)
    return result


def resolve_text(
    text: str, *, published: date | None, calendar: TradingCalendar, anchor: date | None = None
) -> Period | None:
    """The period of the first dated expression in ``text``; a session cue lends it a session."""
    mentions = find_periods(text, published=published, calendar=calendar, anchor=anchor)
    dated = [m.period for m in mentions if m.period.label not in SESSION_ONLY]
    cues = [m.period for m in mentions if m.period.session is not None]
    if not dated:
        return cues[0] if cues else None
    first = dated[0]
    if first.session is None and cues:
        return Period(first.start, first.end, cues[0].session, first.label)
    return first
