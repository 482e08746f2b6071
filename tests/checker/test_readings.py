"""A discrepancy only when the reading is certain: ``ambiguous_reading`` and the excess ranking."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from checker import InMemoryPrices, PriceBar, check_claim
from checker.calendar import NyseCalendar
from extractor.types import Basis, Claim

D = date.fromisoformat
# A week of made-up closes: Monday +1 %, Tuesday +2 %, Wednesday -1 %, Thursday +0.5 %, Friday 0.
CLOSES = [
    ("2025-02-07", 100.0),
    ("2025-02-10", 101.0),
    ("2025-02-11", 103.02),
    ("2025-02-12", 101.99),
    ("2025-02-13", 102.5),
    ("2025-02-14", 102.5),
]
PRICES = InMemoryPrices({"XYZ": [PriceBar("XYZ", D(d), close=c) for d, c in CLOSES]})
CALENDAR = NyseCalendar()


def move(value: float, end: str, basis: Basis) -> Claim:
    """A one-session return of XYZ ending on ``end``."""
    start = CALENDAR.previous_session(D(end))
    return Claim(
        "XYZ", "price_return", value, "percent", "historical", "t", (0, 1),
        start=start, end=D(end), basis=basis,
    )  # fmt: skip


STATED = Basis("sentence", "sentence", "default")
# (case, claim, verdict, reason, alternative reading)
CASES = [
    (
        "stated and wrong: a discrepancy",
        move(2.0, "2025-02-12", STATED),
        "contradicted",
        None,
        None,
    ),
    (
        "published date only, the session before supports it",
        move(2.0, "2025-02-12", Basis("sentence", "published", "default")),
        "unverifiable",
        "ambiguous_reading",
        "previous_session",
    ),
    (
        "a Friday piece may mean the week to date",
        move(2.5, "2025-02-14", Basis("sentence", "clock", "default")),
        "unverifiable",
        "ambiguous_reading",
        "week_to_date",
    ),
    (
        "no other reading supports it: still a discrepancy",
        move(7.0, "2025-02-12", Basis("sentence", "clock", "default")),
        "contradicted",
        None,
        None,
    ),
    (
        "the period was a default: never a discrepancy",
        move(7.0, "2025-02-12", Basis("sentence", "default", "default")),
        "unverifiable",
        "ambiguous_reading",
        "uncertain",
    ),
    (
        "the subject came from the sentence before: never a discrepancy",
        move(7.0, "2025-02-12", Basis("previous", "sentence", "default")),
        "unverifiable",
        "ambiguous_reading",
        "uncertain",
    ),
    (
        "news after the close: the next session supports it",
        move(2.0, "2025-02-10", Basis("sentence", "event", "default")),
        "unverifiable",
        "ambiguous_reading",
        "next_session",
    ),
    (
        "news: neither its day nor the next supports it",
        move(5.0, "2025-02-10", Basis("sentence", "event", "default")),
        "contradicted",
        None,
        None,
    ),
    (
        "an uncertain reading that the data supports stays supported",
        move(-1.0, "2025-02-12", Basis("previous", "default", "default")),
        "supported",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("case", "claim", "verdict", "reason", "reading"), CASES)
def test_readings_ambiguous_reading(
    case: str, claim: Claim, verdict: str, reason: str | None, reading: str | None
) -> None:
    check = check_claim(claim, PRICES, CALENDAR)
    alternative = check.evidence.to_dict().get("alternative") or {}
    assert (check.verdict, check.reason, alternative.get("reading")) == (verdict, reason, reading)


def intraday(value: float) -> Claim:
    """A Wednesday move that the published time places in the session (no range in CLOSES)."""
    return replace(move(value, "2025-02-12", STATED), session="intraday", basis=CLOCKED)


CLOCKED = Basis("sentence", "clock", "clock")
# (case, claim, verdict, reason): Wednesday's close-to-close move is -1 %.
INTRADAY = [
    ("the close supports it", intraday(-1.1), "supported", None),
    ("within a session's drift of the close", intraday(-2.8), "unverifiable", "ambiguous_period"),
    ("beyond any drift", intraday(4.0), "contradicted", None),
    (
        "stated in the sentence: only a range speaks",
        replace(intraday(4.0), basis=STATED),
        "unverifiable",
        "ambiguous_period",
    ),
]


@pytest.mark.parametrize(("case", "claim", "verdict", "reason"), INTRADAY)
def test_readings_intraday_by_the_clock(
    case: str, claim: Claim, verdict: str, reason: str | None
) -> None:
    check = check_claim(claim, PRICES, CALENDAR)
    assert (check.verdict, check.reason) == (verdict, reason), case


def test_readings_excess_is_error_in_tolerances() -> None:
    """-1 % computed, tolerance 0.25 pp: a claim of +2 % is 12 tolerances off."""
    check = check_claim(move(2.0, "2025-02-12", STATED), PRICES, CALENDAR)
    assert check.evidence.excess == pytest.approx(12.0, abs=0.05)
