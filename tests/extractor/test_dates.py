"""dates.py: time expressions -> NYSE trading-day periods, one row per expression."""

from __future__ import annotations

from datetime import date

import pytest

from checker.calendar import NyseCalendar
from extractor.dates import (
    Period,
    WeekdayCalendar,
    clock_session,
    default_period,
    shift,
)
from extractor.timex_resolve import find_periods, resolve_text

D = date.fromisoformat
WED_2025_10_08 = D("2025-10-08")

# (text, published, expected (start, end, session, label)); dates as ISO strings or None.
PERIODS: list[tuple[str, str | None, tuple[str | None, str | None, str | None, str]]] = [
    # year to date: start is the last session of the previous year
    ("year-to-date", "2025-10-08", ("2024-12-31", "2025-10-08", None, "ytd")),
    ("YTD", "2025-10-08", ("2024-12-31", "2025-10-08", None, "ytd")),
    ("so far this year", "2025-10-08", ("2024-12-31", "2025-10-08", None, "ytd")),
    ("this year", "2024-12-11", ("2023-12-29", "2024-12-11", None, "ytd")),
    ("since the start of the year", "2025-04-09", ("2024-12-31", "2025-04-09", None, "ytd")),
    ("since Jan. 1", "2025-04-09", ("2024-12-31", "2025-04-09", None, "ytd")),
    ("so far in 2025", "2025-02-07", ("2024-12-31", "2025-02-07", None, "ytd")),
    ("in 2025", "2025-02-07", ("2024-12-31", "2025-02-07", None, "ytd")),
    ("year to date", "2025-10-11", ("2024-12-31", "2025-10-10", None, "ytd")),  # a Saturday
    # as-of dates: a point, resolved on or before
    ("As of October 8, 2025", None, (None, "2025-10-08", None, "as_of")),
    ("as of Oct. 11, 2025", None, (None, "2025-10-10", None, "as_of")),
    ("through midday Friday", "2025-02-07", (None, "2025-02-07", "intraday", "as_of")),
    # weekdays: the most recent such day on or before the published date
    ("on Tuesday", "2025-10-08", ("2025-10-06", "2025-10-07", None, "day")),
    ("Monday's session", "2025-10-08", ("2025-10-03", "2025-10-06", None, "day")),
    ("on Friday", "2025-02-09", ("2025-02-06", "2025-02-07", None, "day")),
    ("on Wednesday", "2025-10-08", ("2025-10-07", "2025-10-08", None, "day")),
    ("Thursday", "2023-05-25", ("2023-05-24", "2023-05-25", None, "day")),
    ("early Thursday", "2025-02-13", ("2025-02-12", "2025-02-13", "premarket", "day")),
    ("late Wednesday", "2024-02-22", ("2024-02-20", "2024-02-21", "afterhours", "day")),
    ("on Friday", "2025-04-21", ("2025-04-16", "2025-04-17", None, "day")),  # Good Friday
    ("today", "2025-10-08", ("2025-10-07", "2025-10-08", None, "day")),
    ("yesterday", "2025-02-11", ("2025-02-07", "2025-02-10", None, "day")),
    ("yesterday", "2025-02-10", ("2025-02-06", "2025-02-07", None, "day")),
    # weeks
    ("this week", "2025-11-08", ("2025-10-31", "2025-11-07", None, "week")),
    ("for the week", "2025-02-07", ("2025-01-31", "2025-02-07", None, "week")),
    ("a rough week", "2025-11-08", ("2025-10-31", "2025-11-07", None, "week")),
    ("last week", "2025-03-05", ("2025-02-21", "2025-02-28", None, "week")),
    # months
    ("so far this month", "2024-07-26", ("2024-06-28", "2024-07-26", None, "mtd")),
    ("this month", "2025-10-08", ("2025-09-30", "2025-10-08", None, "mtd")),
    ("last month", "2025-03-03", ("2025-01-31", "2025-02-28", None, "month")),
    ("in September", "2025-10-08", ("2025-08-29", "2025-09-30", None, "month")),
    ("In November", "2024-11-29", ("2024-10-31", "2024-11-29", None, "mtd")),
    ("in December", "2025-10-08", ("2024-11-29", "2024-12-31", None, "month")),
    ("November was", "2024-12-02", ("2024-10-31", "2024-11-29", None, "month")),
    # since
    ("since April", "2025-10-08", ("2025-03-31", "2025-10-08", None, "since")),
    ("since March 5", "2025-10-08", ("2025-03-04", "2025-10-08", None, "since")),
    ("since 2020", "2025-10-08", ("2019-12-31", "2025-10-08", None, "since")),
    # trailing spans
    ("over the past 12 months", "2025-03-06", ("2024-03-06", "2025-03-06", None, "past")),
    ("over the past year", "2025-03-06", ("2024-03-06", "2025-03-06", None, "past")),
    ("from a year ago", "2025-02-07", ("2024-02-07", "2025-02-07", None, "past")),
    ("in three weeks or less", "2023-05-25", ("2023-05-04", "2023-05-25", None, "past")),
    ("the past five sessions", "2025-10-08", ("2025-10-01", "2025-10-08", None, "sessions")),
    ("the prior two days", "2024-12-11", ("2024-12-06", "2024-12-10", None, "sessions")),
    # calendar years
    ("last year", "2025-02-07", ("2023-12-29", "2024-12-31", None, "year")),
    ("in 2024", "2025-02-07", ("2023-12-29", "2024-12-31", None, "year")),
    ("during 2022", "2025-02-07", ("2021-12-31", "2022-12-30", None, "year")),
    # quarters (not the fiscal or earnings kind)
    ("in the third quarter", "2025-12-23", ("2025-06-30", "2025-09-30", None, "quarter")),
    ("Q3", "2025-12-23", ("2025-06-30", "2025-09-30", None, "quarter")),
    ("the first quarter of 2024", "2025-12-23", ("2023-12-29", "2024-03-28", None, "quarter")),
    ("in the fourth quarter", "2025-02-10", ("2024-09-30", "2024-12-31", None, "quarter")),
    ("in the second quarter", "2025-05-09", ("2025-03-31", "2025-05-09", None, "quarter")),
    # forecasts: end = the target date, resolved on or before; start = the anchor's session
    ("by the end of 2026", "2025-10-08", ("2025-10-08", "2026-12-31", None, "forecast")),
    ("by year-end", "2025-10-08", ("2025-10-08", "2025-12-31", None, "forecast")),
    ("by the end of next year", "2025-10-08", ("2025-10-08", "2026-12-31", None, "forecast")),
    ("in 2026", "2025-10-08", ("2025-10-08", "2026-12-31", None, "forecast")),
    ("by 2027", "2025-10-08", ("2025-10-08", "2027-12-31", None, "forecast")),
    ("over the next 12 months", "2025-02-09", ("2025-02-07", "2026-02-09", None, "forecast")),
    # month-day dates: the latest such date on or before the published date
    ("on Oct. 8", "2025-10-10", ("2025-10-07", "2025-10-08", None, "day")),
    ("on Dec. 30", "2025-01-05", ("2024-12-27", "2024-12-30", None, "day")),
    ("On March 10, 2020", "2025-04-09", ("2020-03-09", "2020-03-10", None, "day")),
    ("on 2025-10-07", "2025-10-10", ("2025-10-06", "2025-10-07", None, "day")),
    # sessions alone
    ("rose 5% premarket", "2025-10-08", (None, None, "premarket", "session")),
    ("in pre-market trading", "2025-10-08", (None, None, "premarket", "session")),
    ("before the bell", "2025-10-08", (None, None, "premarket", "session")),
    ("in after-hours trading", "2025-10-08", (None, None, "afterhours", "session")),
    ("after hours", "2025-10-08", (None, None, "afterhours", "session")),
    ("in extended trading", "2025-10-08", (None, None, "afterhours", "session")),
    ("after the bell", "2025-10-08", (None, None, "afterhours", "session")),
    ("in afternoon trading", "2025-10-08", (None, None, "intraday", "session")),
    ("at midday", "2025-10-08", (None, None, "intraday", "session")),
    ("in early trading", "2025-10-08", (None, None, "intraday", "session")),
    ("earlier in the day", "2025-10-08", (None, None, "intraday", "session_local")),
    ("its intraday high", "2025-10-08", (None, None, "intraday", "session_local")),
    # a dated expression takes the session cue beside it
    (
        "rose 3.6% in morning trading Monday",
        "2025-02-10",
        ("2025-02-07", "2025-02-10", "intraday", "day"),
    ),
]


def _as_tuple(period: Period | None) -> tuple[str | None, str | None, str | None, str] | None:
    if period is None:
        return None
    iso = [d.isoformat() if d else None for d in (period.start, period.end)]
    return (iso[0], iso[1], period.session, period.label)


@pytest.mark.parametrize(("text", "published", "expected"), PERIODS)
def test_dates_resolve_expressions_to_nyse_sessions(
    text: str,
    published: str | None,
    expected: tuple[str | None, str | None, str | None, str],
    calendar: NyseCalendar,
) -> None:
    day = D(published) if published else None
    assert _as_tuple(resolve_text(text, published=day, calendar=calendar)) == expected


NOT_PERIODS = [
    "Monday.com pared gains",  # a name, not a weekday
    "its fiscal first quarter",  # an earnings period
    "Q4 results beat estimates",
    "the S&P 500 rose 1%",
    "a 30% decline",
    "five years",  # a bare duration
]


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_dates_ignore_words_that_are_not_periods(text: str, calendar: NyseCalendar) -> None:
    assert resolve_text(text, published=WED_2025_10_08, calendar=calendar) is None


RELATIVE = ["year-to-date", "on Tuesday", "this week", "yesterday", "in September", "on Oct. 8"]


@pytest.mark.parametrize("text", RELATIVE)
def test_dates_leave_relative_expressions_unresolved_without_a_date(
    text: str, calendar: NyseCalendar
) -> None:
    assert resolve_text(text, published=None, calendar=calendar) is None


ANCHORED = [
    # an as-of anchor ends to-date periods; weekdays still count back from the published date
    ("year-to-date", None, "2025-10-08", ("2024-12-31", "2025-10-08", None, "ytd")),
    ("this month", "2025-10-20", "2025-10-08", ("2025-09-30", "2025-10-08", None, "mtd")),
    ("on Tuesday", "2025-10-10", "2025-10-08", ("2025-10-06", "2025-10-07", None, "day")),
]


@pytest.mark.parametrize(("text", "published", "anchor", "expected"), ANCHORED)
def test_dates_anchor_ends_to_date_periods(
    text: str,
    published: str | None,
    anchor: str,
    expected: tuple[str | None, str | None, str | None, str],
    calendar: NyseCalendar,
) -> None:
    day = D(published) if published else None
    period = resolve_text(text, published=day, calendar=calendar, anchor=D(anchor))
    assert _as_tuple(period) == expected


def test_dates_find_every_expression_with_offsets(calendar: NyseCalendar) -> None:
    text = "X rose 3% on Tuesday, bringing its year-to-date gain to 12%."
    found = find_periods(text, published=WED_2025_10_08, calendar=calendar)
    assert [(m.text, text[m.start : m.end], m.period.label) for m in found] == [
        ("on Tuesday", "on Tuesday", "day"),
        ("year-to-date", "year-to-date", "ytd"),
    ]


CLOCKS = [((8, 30), "premarket"), ((9, 30), "intraday"), ((15, 59), "intraday"), ((16, 4), None)]


@pytest.mark.parametrize(("clock", "expected"), CLOCKS)
def test_dates_clock_session(clock: tuple[int, int], expected: str | None) -> None:
    assert clock_session(*clock) == expected


CLOCK_TEXTS = [
    ("At 11:35 a.m. ET, stocks were higher", "intraday"),
    ("At 10:30 EST, the Dow was down", "intraday"),
    ("1545 ET - Treasury yields end", "intraday"),
    ("1604 ET - U.S. stocks fall", None),
    ("Due out at 8:30 a.m. ET", "premarket"),
    ("shares rose at 5:30 p.m. ET", None),
]


@pytest.mark.parametrize(("text", "expected"), CLOCK_TEXTS)
def test_dates_clock_times_in_text(text: str, expected: str | None, calendar: NyseCalendar) -> None:
    found = find_periods(text, published=WED_2025_10_08, calendar=calendar)
    assert [(m.period.label, m.period.session) for m in found] == [("clock", expected)]


DEFAULTS = [
    ("2025-10-08", ("2025-10-07", "2025-10-08")),
    ("2025-10-11", ("2025-10-09", "2025-10-10")),  # Saturday: Friday's session
    ("2025-12-26", ("2025-12-24", "2025-12-26")),  # after Christmas
]


@pytest.mark.parametrize(("published", "expected"), DEFAULTS)
def test_dates_default_period_is_the_published_session(
    published: str, expected: tuple[str, str], calendar: NyseCalendar
) -> None:
    period = default_period(calendar, D(published))
    assert (period.start, period.end) == (D(expected[0]), D(expected[1]))


def test_dates_weekday_calendar_skips_weekends() -> None:
    weekdays = WeekdayCalendar()
    period = resolve_text("yesterday", published=D("2025-10-06"), calendar=weekdays)
    assert period == Period(D("2025-10-02"), D("2025-10-03"), None, "day")


SHIFTS = [
    ((D("2025-03-31"), {"months": -1}), D("2025-02-28")),
    ((D("2024-02-29"), {"years": -1}), D("2023-02-28")),
    ((D("2025-05-25"), {"weeks": -3}), D("2025-05-04")),
]


@pytest.mark.parametrize(("args", "expected"), SHIFTS)
def test_dates_shift_clamps_month_ends(args: tuple[date, dict[str, int]], expected: date) -> None:
    day, units = args
    assert shift(day, **units) == expected


def test_dates_carry_a_narrative_year_to_dates_without_one(calendar: NyseCalendar) -> None:
    text = "On March 10, 2020, the Nasdaq jumped 5%. Two days later on March 17, it leapt 6.2%."
    found = find_periods(text, published=D("2025-04-09"), calendar=calendar)
    assert [(m.period.start, m.period.end) for m in found] == [
        (D("2020-03-09"), D("2020-03-10")),
        (D("2020-03-16"), D("2020-03-17")),
    ]
