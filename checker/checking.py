"""``Checking``: what claims are checked with, a price source and the trading calendar.

The worker checks new claims with it and a review correction re-checks one; the roots build it,
and tests build it from ``InMemoryPrices``.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker.prices import PriceSource
from extractor.dates import TradingCalendar


@dataclass(frozen=True, slots=True)
class Checking:
    """Where claims are checked: a price source and the trading calendar."""

    prices: PriceSource
    calendar: TradingCalendar
