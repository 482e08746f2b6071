"""check.py: every checking rule, table-driven, against hand-made prices in memory."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from checker.calendar import NyseCalendar
from checker.check import Check, check_claim, checked_claim
from checker.evidence import Evidence
from checker.prices import InMemoryPrices, PriceBar
from extractor.types import Claim

D = date.fromisoformat


def bar(symbol: str, day: str, **values: float) -> PriceBar:
    return PriceBar(symbol, D(day), **values)  # type: ignore[arg-type]


# 2025-01-01 is a holiday and 2025-01-04/05 a weekend. SPY has both closes and a range; ^GSPC
# only closes; ^DJI closes and a range; KR only adjusted closes; GAP lacks a trading day.
PRICES = InMemoryPrices(
    {
        "SPY": [
            bar("SPY", "2024-12-31", close=600.0, adj_close=590.0),
            bar("SPY", "2025-01-02", close=606.0, adj_close=595.9, low=597.0, high=612.0),
            bar("SPY", "2025-01-03", close=612.0, adj_close=604.75, low=605.0, high=615.0),
        ],
        "^GSPC": [
            bar("^GSPC", "2024-12-31", close=5000.0),
            bar("^GSPC", "2025-01-02", close=4950.0),
            bar("^GSPC", "2025-01-03", close=4750.0),
        ],
        "^DJI": [
            bar("^DJI", "2024-12-31", close=42000.0),
            bar("^DJI", "2025-01-02", close=41500.0, low=41400.0, high=42100.0),
        ],
        "KR": [
            bar("KR", "2024-03-06", adj_close=50.0),
            bar("KR", "2025-03-06", adj_close=64.55),  # +29.1 % total return over a year
        ],
        "GAP": [bar("GAP", "2024-12-31", close=10.0), bar("GAP", "2025-01-03", close=11.0)],
    }
)


def claim(
    subject: str,
    metric: str,
    value: float | None,
    start: str | None,
    end: str | None,
    **options: Any,
) -> Claim:
    unit = {"price_return": "percent", "price_change": "points"}.get(metric, "points")
    return Claim(
        subject,
        metric,  # type: ignore[arg-type]
        value,
        options.pop("unit", unit),
        options.pop("kind", "historical"),
        "text",
        (0, 0),
        start=D(start) if start else None,
        end=D(end) if end else None,
        **options,
    )


def ret(subject: str, value: float | None, start: str, end: str | None, **options: Any) -> Claim:
    return claim(subject, "price_return", value, start, end, **options)


YTD = ("2024-12-31", "2025-01-03")  # SPY: Close +2.0 %, Adj Close +2.5 %, range +0.83..+2.5 %
CASES = [
    # (case, claim, verdict, reason or the rule that matched)
    ("price return from Close", ret("SPY", 2.0, *YTD), "supported", "close"),
    ("total return from Adj Close", ret("SPY", 2.5, *YTD), "supported", "adj_close"),
    ("between the two", ret("SPY", 2.25, *YTD), "supported", "close"),
    ("far from both", ret("SPY", 3.0, *YTD), "contradicted", None),
    (
        "ytd across the new-year holiday",
        ret("SPY", 1.0, "2024-12-31", "2025-01-02"),
        "supported",
        "close",
    ),
    (
        "start on the holiday resolves back",
        ret("SPY", 1.0, "2025-01-01", "2025-01-02"),
        "supported",
        "close",
    ),
    (
        "as-of a Saturday resolves to Friday",
        ret("SPY", 2.0, "2024-12-31", "2025-01-04"),
        "supported",
        "close",
    ),
    ("within the end day's range", ret("SPY", 0.9, *YTD), "supported", "day_range"),
    ("approx widens to 0.5 pp", ret("SPY", 2.95, *YTD, approx=True), "supported", "adj_close"),
    ("approx is no blank cheque", ret("SPY", 3.2, *YTD, approx=True), "contradicted", None),
    ("at_least met", ret("^GSPC", -4.0, *YTD, bound="at_least"), "supported", "close"),
    (
        "at_least within tolerance",
        ret("^GSPC", -5.2, *YTD, bound="at_least"),
        "supported",
        "close",
    ),
    ("at_least missed", ret("^GSPC", -6.0, *YTD, bound="at_least"), "contradicted", None),
    ("at_most met", ret("^GSPC", -6.0, *YTD, bound="at_most"), "supported", "close"),
    ("at_most missed", ret("^GSPC", -4.0, *YTD, bound="at_most"), "contradicted", None),
    ("a range claim", ret("SPY", None, *YTD, low=1.5, high=3.0), "supported", "close"),
    (
        "intraday inside the range",
        ret("SPY", 0.9, *YTD, session="intraday"),
        "supported",
        "day_range",
    ),
    (
        "intraday outside the range",
        ret("SPY", 2.7, *YTD, session="intraday"),
        "contradicted",
        None,
    ),
    (
        "intraday with no range",
        ret("^GSPC", -5.0, *YTD, session="intraday"),
        "unverifiable",
        "ambiguous_period",
    ),
    ("premarket", ret("SPY", 2.0, *YTD, session="premarket"), "unverifiable", "ambiguous_period"),
    (
        "after hours",
        ret("SPY", 2.0, *YTD, session="afterhours"),
        "unverifiable",
        "ambiguous_period",
    ),
    (
        "dividend window: price return under total return",
        ret("KR", 26.0, "2024-03-06", "2025-03-06"),
        "supported",
        "dividend_window",
    ),
    (
        "dividend window has a floor",
        ret("KR", 24.0, "2024-03-06", "2025-03-06"),
        "contradicted",
        None,
    ),
    (
        "points from Close",
        claim("^DJI", "price_change", -500.0, "2024-12-31", "2025-01-02"),
        "supported",
        "close",
    ),
    (
        "points in the day's range",
        claim("^DJI", "price_change", -450.0, "2024-12-31", "2025-01-02"),
        "supported",
        "day_range",
    ),
    (
        "points far off",
        claim("^DJI", "price_change", -700.0, "2024-12-31", "2025-01-02"),
        "contradicted",
        None,
    ),
    (
        "level within 1 % of the close",
        claim("^GSPC", "price_level", 4790.0, None, "2025-01-03"),
        "supported",
        None,
    ),
    (
        "level on a Saturday",
        claim("SPY", "price_level", 613.0, None, "2025-01-04"),
        "supported",
        None,
    ),
    (
        "level in the day's range",
        claim("^DJI", "price_level", 42050.0, None, "2025-01-02"),
        "supported",
        None,
    ),
    (
        "level off",
        claim("^DJI", "price_level", 43000.0, None, "2025-01-02"),
        "contradicted",
        None,
    ),
    (
        "closed above: the high reached it",
        claim("^DJI", "price_level", 42090.0, None, "2025-01-02", bound="at_least"),
        "supported",
        None,
    ),
    (
        "level from adjusted closes only",
        claim("KR", "price_level", 64.0, None, "2025-03-06"),
        "unverifiable",
        "no_data",
    ),
    ("unknown symbol", ret("ZZZZ", 2.0, *YTD), "unverifiable", "no_data"),
    (
        "a date before the data",
        ret("SPY", 2.0, "2024-12-02", "2025-01-03"),
        "unverifiable",
        "no_data",
    ),
    (
        "a trading day the data lacks",
        ret("GAP", 10.0, "2024-12-31", "2025-01-02"),
        "unverifiable",
        "no_data",
    ),
    (
        "a date after the data",
        ret("SPY", 2.0, "2024-12-31", "2025-01-06"),
        "unverifiable",
        "no_data",
    ),
    ("not a symbol", ret("Apple Inc.", 2.0, *YTD), "unverifiable", "unknown_subject"),
    (
        "market cap",
        claim("SPY", "market_cap", 5e11, None, "2025-01-03", unit="usd"),
        "unverifiable",
        "unsupported_metric",
    ),
    (
        "a return in dollars",
        ret("SPY", 2.0, *YTD, unit="usd"),
        "unverifiable",
        "unsupported_metric",
    ),
    ("no end date", ret("SPY", 2.0, "2024-12-31", None), "unverifiable", "ambiguous_period"),
    (
        "no start date",
        claim("SPY", "price_return", 2.0, None, "2025-01-03"),
        "unverifiable",
        "ambiguous_period",
    ),
    (
        "forecast past the data",
        claim("SPY", "target_level", 700.0, None, "2025-12-31", kind="forecast"),
        "pending",
        None,
    ),
    (
        "forecast hit",
        claim("SPY", "target_level", 610.0, None, "2025-01-03", kind="forecast"),
        "hit",
        None,
    ),
    (
        "forecast missed",
        claim("SPY", "target_level", 700.0, None, "2025-01-03", kind="forecast"),
        "missed",
        None,
    ),
    ("forecast return hit", ret("SPY", 2.0, *YTD, kind="forecast"), "hit", "close"),
    ("hypothetical: not checked", ret("SPY", 2.0, *YTD, kind="hypothetical"), None, None),
]


@pytest.mark.parametrize(
    ("item", "verdict", "detail"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_check_claim_rules(
    item: Claim, verdict: str | None, detail: str | None, calendar: NyseCalendar
) -> None:
    check = check_claim(item, PRICES, calendar)
    assert check.verdict == verdict
    if verdict == "unverifiable":
        assert check.reason == detail
    elif detail is not None:
        assert check.evidence.to_dict()["matched"] == detail
    json.dumps(checked_claim(item, check))  # evidence is JSON-able


def test_check_claim_pending_then_hit(calendar: NyseCalendar) -> None:
    target = claim("SPY", "target_level", 610.0, None, "2025-01-03", kind="forecast")
    assert check_claim(target, PRICES, calendar, today=D("2025-01-02")).verdict == "pending"
    assert check_claim(target, PRICES, calendar, today=D("2025-01-03")).verdict == "hit"


def test_check_claim_evidence_shows_prices_and_tolerance(calendar: NyseCalendar) -> None:
    check = check_claim(ret("SPY", 2.0, "2025-01-01", "2025-01-04"), PRICES, calendar)
    evidence = check.evidence.to_dict()
    assert (evidence["start"], evidence["end"]) == ("2024-12-31", "2025-01-03")
    assert evidence["prices"]["start"] == {"day": "2024-12-31", "close": 600.0, "adj_close": 590.0}
    assert evidence["computed"] == {"close": 2.0, "adj_close": 2.5}
    assert evidence["tolerance"] == {"close": 0.25, "adj_close": 0.25}
    assert evidence["day_range"] == [pytest.approx(0.8333), 2.5]
    assert (evidence["provider"], evidence["rule"], check.computed) == ("memory", "return", 2.0)


def test_check_claim_dividend_window_in_evidence(calendar: NyseCalendar) -> None:
    check = check_claim(ret("KR", 26.0, "2024-03-06", "2025-03-06"), PRICES, calendar)
    assert check.evidence.to_dict()["dividend_window"] == pytest.approx(3.9973, abs=1e-4)
    assert check.computed == pytest.approx(29.1)


def test_check_claim_to_dict_adds_the_check_fields() -> None:
    out = checked_claim(
        ret("SPY", 2.0, *YTD), Check("supported", None, 2.0, Evidence(rule="return"))
    )
    assert {"verdict", "reason", "computed", "evidence", "subject", "offsets"} <= set(out)
