"""The newsclaims_periods component and period_for, over the real pipeline."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from checker.calendar import NyseCalendar
from extractor.components.periods import FACTORY, PeriodFinder
from extractor.components.placement import period_for
from extractor.extensions import PERIODS

D = date.fromisoformat


def _doc(nlp: Language, text: str, published: str | None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = D(published) if published else None
    return nlp(doc)


def _figure(doc: Doc, text: str) -> Span:
    start = doc.text.index(text)
    span = doc.char_span(start, start + len(text), alignment_mode="expand")
    assert span is not None
    return span


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


Expected = tuple[str | None, str | None, str | None]
# (text, published, figure, level, expected (start, end, session))
FIGURES: list[tuple[str, str | None, str, bool, Expected]] = [
    (  # the expression in the figure's own clause governs it
        "Apple rose 3% on Tuesday, bringing its year-to-date gain to 12%.",
        "2025-10-07", "3%", False, ("2025-10-06", "2025-10-07", None),
    ),
    (
        "Apple rose 3% on Tuesday, bringing its year-to-date gain to 12%.",
        "2025-10-07", "12%", False, ("2024-12-31", "2025-10-07", None),
    ),
    (  # no expression: the one-session move ending on the published date
        "Apple rose 2% after its event.", "2025-10-08", "2%", False,
        ("2025-10-07", "2025-10-08", None),
    ),
    (  # a level has only an end
        "The S&P 500 rose 0.67% to end at 6,066.44 points.", "2025-02-10", "6,066.44", True,
        (None, "2025-02-10", None),
    ),
    (  # the lead's day sets the default (a recap published the next morning)
        "Wall Street closed higher on Thursday. The Dow gained 0.6% to close at 41,368.45.",
        "2025-05-09", "0.6%", False, ("2025-05-07", "2025-05-08", None),
    ),
    (  # an as-of date anchors the article when it has no published date
        "As of October 8, 2025, the iShares Micro-Cap ETF (IWC) has posted a year-to-date rally "
        "of 19.2%. This surpasses the 17.3% rise for OEF.",
        None, "19.2%", False, ("2024-12-31", "2025-10-08", None),
    ),
    (
        "As of October 8, 2025, the iShares Micro-Cap ETF (IWC) has posted a year-to-date rally "
        "of 19.2%. This surpasses the 17.3% rise for OEF.",
        None, "17.3%", False, ("2024-12-31", "2025-10-08", None),
    ),
    (  # a session cue in the sentence
        "DoorDash shares were gaining more than 7% in after-hours trading.", "2025-02-11", "7%",
        False, ("2025-02-10", "2025-02-11", "afterhours"),
    ),
    (  # the cue belongs to its own clause, not to an earlier day's move
        "U.S. Steel's stock rose 3.6% in morning trading Monday, after dropping 5.8% on Friday.",
        "2025-02-10", "3.6%", False, ("2025-02-07", "2025-02-10", "intraday"),
    ),
    (
        "U.S. Steel's stock rose 3.6% in morning trading Monday, after dropping 5.8% on Friday.",
        "2025-02-10", "5.8%", False, ("2025-02-06", "2025-02-07", None),
    ),
    (  # an expression in a clause below the figure's does not govern it
        "Rambus surged 10%, triggering the hold rule after a 20% gain in three weeks or less.",
        "2023-05-25", "10%", False, ("2023-05-24", "2023-05-25", None),
    ),
    (
        "Rambus surged 10%, triggering the hold rule after a 20% gain in three weeks or less.",
        "2023-05-25", "20%", False, ("2023-05-04", "2023-05-25", None),
    ),
    (  # a sentence without its own takes the previous sentence's
        "The averages fell for the week, with the S&P 500 down 0.2%. The Nasdaq fell 0.5%.",
        "2025-02-07", "0.5%", False, ("2025-01-31", "2025-02-07", None),
    ),
    (  # list items take the line that introduces them
        "Here's how ETFs are performing YTD:\n\n- Brazil ETF (EWZ): +13%\n\n- Germany ETF: +9.2%",
        "2025-02-07", "9.2%", False, ("2024-12-31", "2025-02-07", None),
    ),
    (  # written during the session
        "At 11:35 a.m. ET, the Dow was down 0.2%.\n\nIntel Corp rose 6% on the news.",
        "2025-02-11", "6%", False, ("2025-02-10", "2025-02-11", "intraday"),
    ),
    (  # timestamped paragraphs: the paragraph's clock decides
        "1604 ET - Amazon loses 4.1% on its outlook.\n\n1510 ET - SPDR Gold rises 0.3% today.",
        "2025-02-07", "4.1%", False, ("2025-02-06", "2025-02-07", None),
    ),
    (
        "1604 ET - Amazon loses 4.1% on its outlook.\n\n1510 ET - SPDR Gold rises 0.3% today.",
        "2025-02-07", "0.3%", False, ("2025-02-06", "2025-02-07", "intraday"),
    ),
    (  # no published date, nothing to count from
        "Apple rose 2% on Tuesday.", None, "2%", False, (None, None, None),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "figure", "level", "expected"), FIGURES)
def test_periods_period_for_figure(
    nlp: Language, text: str, published: str | None, figure: str, level: bool, expected: Expected
) -> None:
    doc = _doc(nlp, text, published)
    period = period_for(_figure(doc, figure), level=level).period
    assert (_iso(period.start), _iso(period.end), period.session) == expected


FORECASTS: list[tuple[str, str | None, str, bool, Expected]] = [
    (  # an undated target looks a year ahead
        "Analysts have an average price target of $44.93 for Pinterest.", "2025-02-09", "44.93",
        True, (None, "2026-02-09", None),
    ),
    (
        "Goldman expects the S&P 500 to reach 7,750 by the end of 2026.", "2025-10-08", "7,750",
        True, (None, "2026-12-31", None),
    ),
    (
        "Analysts see the stock rising 15% over the next 12 months.", "2025-02-09", "15%", False,
        ("2025-02-07", "2026-02-09", None),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "figure", "level", "expected"), FORECASTS)
def test_periods_period_for_forecast(
    nlp: Language, text: str, published: str | None, figure: str, level: bool, expected: Expected
) -> None:
    doc = _doc(nlp, text, published)
    period = period_for(_figure(doc, figure), level=level, forecast=True).period
    assert (_iso(period.start), _iso(period.end), period.session) == expected


SPANS = [
    ("Apple rose 3% on Tuesday, bringing its year-to-date gain to 12%.", ["day", "ytd"]),
    ("Shares fell 2% in premarket trading after the bell rang.", ["session", "session"]),
    ("Nvidia, Monday.com and Intel rose 3% Thursday.", ["day"]),
    ("Nothing here is a date.", []),
]


@pytest.mark.parametrize(("text", "labels"), SPANS)
def test_periods_component_writes_one_span_per_expression(
    nlp: Language, text: str, labels: list[str]
) -> None:
    doc = _doc(nlp, text, "2025-10-08")
    assert [span._.period.label for span in doc.spans[PERIODS]] == labels


SESSIONS = [
    ("At 10:30 EST, the Dow Jones Industrial Average was down 0.15% at 44,403.82.", "intraday"),
    ("U.S. Steel's stock rose 3.6% in morning trading Monday.", "intraday"),
    ("Gilead shares rose to $100.50 in after-hours trading.", "afterhours"),
    ("The Dow jumped 1.6% on Friday, after soaring more than 800 points earlier in the day.", None),
    ("Due out at 8:30 a.m. ET, the PCE report is expected to show 4.4% inflation.", None),
    ("Wall Street closed higher on Thursday.", None),
]


@pytest.mark.parametrize(("text", "expected"), SESSIONS)
def test_periods_doc_session_only_when_clear(
    nlp: Language, text: str, expected: str | None
) -> None:
    assert _doc(nlp, text, "2025-02-10")._.session == expected


def test_periods_pipeline_sets_the_nyse_calendar(nlp: Language) -> None:
    finder = nlp.get_pipe(FACTORY)
    assert isinstance(finder, PeriodFinder)
    assert isinstance(finder.calendar, NyseCalendar)
