"""Time expressions in a text -> trading-day periods: ``find_periods`` and ``resolve_text``.

Joins the two halves of time expressions: ``extractor.timex``'s ``RULES`` table pairs each regex
with a rule kind, and ``RESOLVERS`` below maps each kind to a small resolver built on
``extractor.dates``' calendar arithmetic (``Resolver``, ``Period``, the span helpers). Here too
are ``Mention`` (an expression's offsets and period) and the year carry-over (a date written
without its year keeps the year of a full date just before it). Imports go one way: this module
imports ``timex`` and ``dates``; neither imports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from extractor.dates import (
    SESSION_ONLY,
    Period,
    Resolver,
    TradingCalendar,
    ahead,
    clock_session,
    month_span,
    past,
    quarter_span,
    shift,
    week_span,
    year_span,
)
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

WEEKEND = 5  # date.weekday() of Saturday

Resolve = Callable[[Resolver, dict[str, str | None]], Period | None]

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


def _last_week(r: Resolver, g: dict[str, str | None]) -> Period | None:
    """ "last week": on a weekend, wire copy means the week that just ended, not the one before."""
    weekend = r.published is not None and r.published.weekday() >= WEEKEND
    return week_span(r, 0 if weekend else 1)


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


def _when(r: Resolver, g: dict[str, str | None]) -> Period | None:
    """The day (or the ``n`` sessions ending on it) that a "..., when it fell 5%" clause names."""
    day = _date(r, g)
    if day is None:
        return None
    end, count = r.on_or_before(day), g.get("n")
    period = r.sessions_back(count_value(count), end) if count else r.day(end)
    return Period(period.start, period.end, label="when")


def _from(r: Resolver, g: dict[str, str | None]) -> Period | None:
    """From the close of a past day (``start``, the day itself) to the anchor."""
    day = _date(r, g)
    if day is None or r.anchor is None:
        return None
    return Period(r.on_or_before(day), r.on_or_before(r.anchor), label="from")


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
    "last_week": _last_week,
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
    "when": _when,
    "from": _from,
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
    text: str,
    *,
    published: date | None,
    calendar: TradingCalendar,
    anchor: date | None = None,
    latest: date | None = None,
) -> list[Mention]:
    """Every time expression in ``text``, resolved; ``anchor`` defaults to ``published``."""
    resolver = Resolver(calendar, published, anchor or published, latest)
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
