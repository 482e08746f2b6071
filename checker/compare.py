""" "A beat B" comparisons: the sign of the difference of the two computed returns."""

from __future__ import annotations

from datetime import date
from typing import Any

from checker import rules
from checker.check import DIGITS, SYMBOL, Check, bar_prices, decided, exact_bar, unverifiable
from checker.prices import PriceBar, PriceSource
from extractor.dates import TradingCalendar

# Both returns come from one column: total return when both symbols have adjusted closes, else
# price return; mixing the two would let a fund's dividends decide the comparison.
COLUMNS = ("adj_close", "close")


def check_comparison(
    leader: str,
    laggard: str,
    start: date,
    end: date,
    prices: PriceSource,
    calendar: TradingCalendar,
) -> Check:
    """Whether ``leader`` returned more than ``laggard`` from the close of ``start`` to ``end``."""
    evidence: dict[str, Any] = {"provider": prices.provider, "symbols": [leader, laggard]}
    if not (SYMBOL.fullmatch(leader) and SYMBOL.fullmatch(laggard)):
        return unverifiable("unknown_subject", evidence)
    first, last = calendar.session_on_or_before(start), calendar.session_on_or_before(end)
    evidence |= {"rule": "comparison", "start": first.isoformat(), "end": last.isoformat()}
    if first >= last:
        return unverifiable("ambiguous_period", evidence)
    bars: dict[str, tuple[PriceBar, PriceBar]] = {}
    for symbol in (leader, laggard):
        before, after = exact_bar(prices, symbol, first), exact_bar(prices, symbol, last)
        if before is None or after is None:
            return unverifiable("no_data", evidence | {"note": f"no bar for {symbol} on a date"})
        bars[symbol] = (before, after)
    evidence["prices"] = {s: [bar_prices(b) for b in pair] for s, pair in bars.items()}
    for column in COLUMNS:
        returns = {s: _return(pair, column) for s, pair in bars.items()}
        if None not in returns.values():
            difference = (returns[leader] or 0.0) - (returns[laggard] or 0.0)
            evidence |= {
                "column": column,
                "computed": {s: round(r or 0.0, DIGITS) for s, r in returns.items()},
            }
            return decided(difference > 0, round(difference, DIGITS), evidence)
    return unverifiable("no_data", evidence | {"note": "no column both symbols have"})


def _return(pair: tuple[PriceBar, PriceBar], column: str) -> float | None:
    before, after = (getattr(bar, column) for bar in pair)
    if not before or after is None:
        return None
    return rules.pct_change(before, after)
