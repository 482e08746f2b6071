""" "A beat B" comparisons: the sign of the difference of the two computed returns."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from checker import rules
from checker.check import SYMBOL, Check, decided, exact_bar, unverifiable
from checker.evidence import DIGITS, Bar, ComparisonEvidence
from checker.prices import PriceSource
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
    evidence = ComparisonEvidence(prices.provider, (leader, laggard))
    if not (SYMBOL.fullmatch(leader) and SYMBOL.fullmatch(laggard)):
        return unverifiable("unknown_subject", evidence)
    first, last = calendar.session_on_or_before(start), calendar.session_on_or_before(end)
    evidence = replace(evidence, start=first, end=last)
    if first >= last:
        return unverifiable("ambiguous_period", evidence)
    bars: dict[str, tuple[Bar, Bar]] = {}
    for symbol in (leader, laggard):
        before, after = exact_bar(prices, symbol, first), exact_bar(prices, symbol, last)
        if before is None or after is None:
            note = f"no bar for {symbol} on a date"
            return unverifiable("no_data", replace(evidence, note=note))
        bars[symbol] = (Bar.of(before), Bar.of(after))
    evidence = replace(evidence, bars=bars)
    for column in COLUMNS:
        returns = {s: _return(pair, column) for s, pair in bars.items()}
        if None not in returns.values():
            difference = (returns[leader] or 0.0) - (returns[laggard] or 0.0)
            computed = {s: round(r or 0.0, DIGITS) for s, r in returns.items()}
            evidence = replace(evidence, column=column, computed=computed)
            return decided(difference > 0, round(difference, DIGITS), evidence)
    return unverifiable("no_data", replace(evidence, note="no column both symbols have"))


def _return(pair: tuple[Bar, Bar], column: str) -> float | None:
    before, after = (getattr(bar, column) for bar in pair)
    if not before or after is None:
        return None
    return rules.pct_change(before, after)
