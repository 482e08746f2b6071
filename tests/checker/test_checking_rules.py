"""rules.py: the tolerance and verdict arithmetic of design.md "Checking rules"."""

from __future__ import annotations

import math
from datetime import date

import pytest

from checker import rules
from checker.rules import Target

RETURN_TOLERANCES = [
    # (computed, target, tolerance): max(0.25 pp, 3 % of computed); a hedge max(0.5, 10 % claimed)
    (2.0, Target(2.0), 0.25),
    (20.0, Target(19.0), 0.6),
    (-20.0, Target(-19.0), 0.6),
    (2.0, Target(2.0, approx=True), 0.5),
    (2.0, Target(30.0, approx=True), 3.0),
    (40.0, Target(4.0, approx=True), 1.2),  # a hedge never narrows the tolerance
]


@pytest.mark.parametrize(("computed", "target", "expected"), RETURN_TOLERANCES)
def test_rules_return_tolerance(computed: float, target: Target, expected: float) -> None:
    assert rules.return_tolerance(computed, target) == pytest.approx(expected)


CHANGE_TOLERANCES = [
    (-10.0, Target(-10.0), 0.5),
    (-500.0, Target(-500.0), 10.0),
    (-500.0, Target(-500.0, approx=True), 50.0),
]


@pytest.mark.parametrize(("computed", "target", "expected"), CHANGE_TOLERANCES)
def test_rules_change_tolerance(computed: float, target: Target, expected: float) -> None:
    assert rules.change_tolerance(computed, target) == pytest.approx(expected)


INF = math.inf
ALLOWED = [
    (Target(2.0), (1.75, 2.25)),
    (Target(10.0, bound="at_least"), (9.75, INF)),
    (Target(-10.0, bound="at_least"), (-INF, -9.75)),
    (Target(1.0, bound="at_most"), (-INF, 1.25)),
    (Target(-1.0, bound="at_most"), (-1.25, INF)),
    (Target(None, low=-20.0, high=-10.0), (-20.25, -9.75)),
    (Target(None, low=-10.0), (INF, -INF)),  # half a range: nothing to check
]


@pytest.mark.parametrize(("target", "expected"), ALLOWED)
def test_rules_allowed_interval(target: Target, expected: tuple[float, float]) -> None:
    assert rules.allowed(target, 0.25) == pytest.approx(expected)


def test_rules_pct_change_is_in_percent() -> None:
    assert rules.pct_change(586.08, 673.11) == pytest.approx(14.8495, abs=1e-4)


DIVIDEND_WINDOWS = [
    (date(2024, 12, 31), date(2025, 3, 6), 0.7118),  # 65 days
    (date(2024, 3, 6), date(2025, 3, 6), 3.9973),  # a year (366 days)
    (date(2026, 2, 2), date(2026, 2, 3), 0.0110),
]


@pytest.mark.parametrize(("start", "end", "expected"), DIVIDEND_WINDOWS)
def test_rules_dividend_window_is_four_percent_a_year(
    start: date, end: date, expected: float
) -> None:
    assert rules.dividend_window(start, end) == pytest.approx(expected, abs=1e-4)


LEVELS = [
    # (target, close, low, high, supported)
    (Target(100.5), 100.0, None, None, True),  # within 1 % of the close
    (Target(101.5), 100.0, None, None, False),
    (Target(102.0), 100.0, 98.0, 102.5, True),  # inside the day's range
    (Target(103.0), 100.0, 98.0, 102.5, False),
    (Target(100.8, bound="at_least"), 100.0, None, None, True),  # close within 1 % short of it
    (Target(102.0, bound="at_least"), 100.0, 98.0, 102.5, True),  # the high reached it
    (Target(103.0, bound="at_least"), 100.0, 98.0, 102.5, False),
    (Target(99.2, bound="at_most"), 100.0, None, None, True),
    (Target(98.0, bound="at_most"), 100.0, 97.5, 101.0, True),  # the low reached it
    (Target(97.0, bound="at_most"), 100.0, 97.5, 101.0, False),
    (Target(None, low=102.0, high=104.0), 100.0, 98.0, 102.5, True),
    (Target(None, low=103.0, high=104.0), 100.0, 98.0, 102.5, False),
]


@pytest.mark.parametrize(("target", "close", "low", "high", "expected"), LEVELS)
def test_rules_level_supported(
    target: Target, close: float, low: float | None, high: float | None, expected: bool
) -> None:
    assert rules.level_supported(target, close=close, low=low, high=high) is expected
