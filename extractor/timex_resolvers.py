"""One resolver per rule kind of ``extractor.timex.RULES``: matched groups -> a ``Period``.

Each resolver takes the article's ``dates.Resolver`` and the groups one rule matched, and returns
the trading-day period they name (None: not a date after all, such as "Feb. 30"). ``RESOLVERS``
maps every rule kind to its resolver; ``extractor.timex_resolve`` compiles the table with it and
finds the expressions in a text. Imports go one way: this module imports ``timex`` and ``dates``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from extractor.dates import (
    Period,
    Resolver,
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
    count_value,
    hour_24,
    month_number,
    opt_int,
    ordinal_value,
    weekday_number,
)
from extractor.types import Session

Groups = dict[str, str | None]
Resolve = Callable[[Resolver, Groups], Period | None]

WEEKEND = 5  # date.weekday() of Saturday


def _date(r: Resolver, groups: Groups) -> date | None:
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


def _weekday(r: Resolver, groups: Groups) -> date | None:
    return r.weekday(weekday_number(groups["wd"] or ""))


def _point(r: Resolver, g: Groups) -> Period | None:
    """An as-of or through date: ``end`` only."""
    day = _date(r, g) if g.get("mon") else _weekday(r, g)
    if day is None:
        return None
    session: Session | None = "intraday" if g.get("mid") else None
    return Period(None, r.on_or_before(day), session, "as_of")


def _by_year(r: Resolver, g: Groups) -> Period | None:
    ref = r.anchor
    year = opt_int(g, "year") or (ref.year + bool(g.get("next")) if ref else None)
    if year is None:
        return None
    end = r.on_or_before(date(year, 12, 31))
    return Period(r.on_or_before(ref) if ref else None, end, label="forecast")


def _last_week(r: Resolver, g: Groups) -> Period | None:
    """ "last week": on a weekend, wire copy means the week that just ended, not the one before."""
    weekend = r.published is not None and r.published.weekday() >= WEEKEND
    return week_span(r, 0 if weekend else 1)


def _since(r: Resolver, g: Groups) -> Period | None:
    g = {**g, "mon": g.get("mon") or g.get("mon2")}  # "since March" names its month apart
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


def _past(r: Resolver, g: Groups) -> Period | None:
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


def _quarter(r: Resolver, g: Groups) -> Period | None:
    quarter = opt_int(g, "q") or ordinal_value(g["ord"] or "")
    return quarter_span(r, quarter, opt_int(g, "year") or None)


def _day_of_week(r: Resolver, g: Groups) -> Period | None:
    day = _weekday(r, g)
    if day is None:
        return None
    period = r.day(day)
    edge = (g.get("edge") or "").lower()
    session: Session | None = {"early": "premarket", "late": "afterhours"}.get(edge)  # type: ignore[assignment]
    return Period(period.start, period.end, session, "day")


def on_date(r: Resolver, g: Groups) -> Period | None:
    day = _date(r, g)
    return r.day(day) if day else None


def _when(r: Resolver, g: Groups) -> Period | None:
    """The day (or the ``n`` sessions ending on it) that a "..., when it fell 5%" clause names."""
    day = _date(r, g)
    if day is None:
        return None
    end, count = r.on_or_before(day), g.get("n")
    period = r.sessions_back(count_value(count), end) if count else r.day(end)
    return Period(period.start, period.end, label="when")


def _from(r: Resolver, g: Groups) -> Period | None:
    """From the close of a past day (``start``, the day itself) to the anchor."""
    day = _date(r, g)
    if day is None or r.anchor is None:
        return None
    return Period(r.on_or_before(day), r.on_or_before(r.anchor), label="from")


def _iso(r: Resolver, g: Groups) -> Period | None:
    try:
        return r.day(date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0)))
    except ValueError:
        return None


def _days_ago(r: Resolver, back: int) -> Period | None:
    if r.published is None:
        return None
    return r.day(r.published - timedelta(days=back)) if back else r.day(r.published)


def _clock(r: Resolver, g: Groups) -> Period:
    hour = hour_24(int(g["h"] or 0), g.get("ampm") or "")
    return Period(None, None, clock_session(hour, int(g.get("m") or 0)), "clock")


def _session(session: Session, label: str = "session") -> Resolve:
    def resolve(r: Resolver, g: Groups) -> Period:
        return Period(None, None, session, label)

    return resolve


def _year_ahead(r: Resolver, g: Groups) -> Period | None:
    return ahead(r, years=1)


def _this_year(r: Resolver, g: Groups) -> Period | None:
    return year_span(r, r.anchor.year) if r.anchor else None


def _last_year(r: Resolver, g: Groups) -> Period | None:
    return year_span(r, r.anchor.year - 1) if r.anchor else None


def _in_year(r: Resolver, g: Groups) -> Period | None:
    return year_span(r, int(g["year"] or 0))


def _this_month(r: Resolver, g: Groups) -> Period | None:
    return month_span(r, r.anchor.month, r.anchor.year) if r.anchor else None


def _last_month(r: Resolver, g: Groups) -> Period | None:
    if r.anchor is None:
        return None
    before = shift(r.anchor, months=-1)
    return month_span(r, before.month, before.year)


def _in_month(r: Resolver, g: Groups) -> Period | None:
    month = month_number(g.get("mon") or g.get("mon3") or "")
    return month_span(r, month, opt_int(g, "year") or None)


def _this_week(r: Resolver, g: Groups) -> Period | None:
    return week_span(r, 0)


def _year_ago(r: Resolver, g: Groups) -> Period | None:
    return past(r, years=1)


def _today(r: Resolver, g: Groups) -> Period | None:
    return _days_ago(r, 0)


def _yesterday(r: Resolver, g: Groups) -> Period | None:
    return _days_ago(r, 1)


# Every rule kind in ``timex.RULES`` -> how it resolves to trading days.
RESOLVERS: dict[str, Resolve] = {
    "as_of": _point,
    "clock": _clock,
    "premarket": _session("premarket"),
    "afterhours": _session("afterhours"),
    "intraday": _session("intraday"),
    "intraday_local": _session("intraday", "session_local"),
    "by_year": _by_year,
    "year_ahead": _year_ahead,
    "this_year": _this_year,
    "this_month": _this_month,
    "last_month": _last_month,
    "last_week": _last_week,
    "this_week": _this_week,
    "past_units": _past,
    "year_ago": _year_ago,
    "last_year": _last_year,
    "since": _since,
    "quarter": _quarter,
    "in_year": _in_year,
    "in_month": _in_month,
    "weekday": _day_of_week,
    "date": on_date,
    "when": _when,
    "from": _from,
    "iso": _iso,
    "today": _today,
    "yesterday": _yesterday,
}
