"""compare.py ("A beat B") and the InMemoryPrices twin."""

from __future__ import annotations

from datetime import date

import pytest

from checker.calendar import NyseCalendar
from checker.compare import check_comparison
from checker.prices import InMemoryPrices, PriceBar

D = date.fromisoformat
PRICES = InMemoryPrices(
    {
        # IWC +19.2 % total return, OEF +17.3 %, SPY +15.9 % (price return +14.9 %)
        "IWC": [
            PriceBar("IWC", D("2024-12-31"), adj_close=100.0),
            PriceBar("IWC", D("2025-10-08"), adj_close=119.2),
        ],
        "OEF": [
            PriceBar("OEF", D("2024-12-31"), adj_close=100.0),
            PriceBar("OEF", D("2025-10-08"), adj_close=117.3),
        ],
        "SPY": [
            PriceBar("SPY", D("2024-12-31"), close=586.08, adj_close=100.0),
            PriceBar("SPY", D("2025-10-08"), close=673.11, adj_close=115.9),
        ],
        "^GSPC": [
            PriceBar("^GSPC", D("2024-12-31"), close=5881.63),
            PriceBar("^GSPC", D("2025-10-08"), close=6800.0),
        ],
    }
)
COMPARISONS = [
    # (leader, laggard, verdict, column used)
    ("IWC", "OEF", "supported", "adj_close"),
    ("OEF", "IWC", "contradicted", "adj_close"),
    ("IWC", "SPY", "supported", "adj_close"),
    ("^GSPC", "SPY", "supported", "close"),  # no common adjusted series: price returns
    ("SPY", "^GSPC", "contradicted", "close"),
    ("IWC", "^GSPC", "unverifiable", None),  # no column both have
    ("IWC", "QQQ", "unverifiable", None),
]


@pytest.mark.parametrize(("leader", "laggard", "verdict", "column"), COMPARISONS)
def test_compare_sign_of_the_return_difference(
    leader: str, laggard: str, verdict: str, column: str | None, calendar: NyseCalendar
) -> None:
    check = check_comparison(leader, laggard, D("2024-12-31"), D("2025-10-08"), PRICES, calendar)
    assert check.verdict == verdict
    assert check.evidence.to_dict().get("column") == column


def test_compare_non_trading_dates_resolve(calendar: NyseCalendar) -> None:
    check = check_comparison("IWC", "OEF", D("2025-01-01"), D("2025-10-08"), PRICES, calendar)
    assert check.verdict == "supported"
    assert check.computed == pytest.approx(1.9)
    assert check.evidence.to_dict()["start"] == "2024-12-31"


def test_prices_in_memory_twin_answers_the_protocol() -> None:
    assert PRICES.last_day("SPY") == D("2025-10-08")
    assert PRICES.last_day("QQQ") is None
    assert PRICES.bar_on_or_before("SPY", D("2024-12-30")) is None
    assert PRICES.bar_on_or_before("SPY", D("2025-10-10")) == PriceBar(
        "SPY", D("2025-10-08"), close=673.11, adj_close=115.9
    )
    assert [b.day for b in PRICES.bars("SPY", D("2024-01-01"), D("2025-01-01"))] == [
        D("2024-12-31")
    ]
    assert PRICES.symbols() == ["IWC", "OEF", "SPY", "^GSPC"]
