"""newsclaims' checker: claims + market data -> verdicts with evidence.

The arithmetic core (``rules``, ``check``, ``compare``) is pure and needs no database: prices come
through the small ``PriceSource`` protocol (``InMemoryPrices`` in memory, CSV files via
``load_prices_dir``). The NYSE calendar lives in ``checker.calendar`` (imported on its own: it
loads exchange_calendars).
"""

from __future__ import annotations

from checker.check import Check, Reason, Verdict, check_claim, checked_claim
from checker.compare import check_comparison
from checker.errors import CheckerError, NoPriceFiles, PriceDataError
from checker.prices import InMemoryPrices, PriceBar, PriceSource
from checker.providers.csv import load_prices_dir, read_prices_dir

__all__ = [
    "Check",
    "CheckerError",
    "InMemoryPrices",
    "NoPriceFiles",
    "PriceBar",
    "PriceDataError",
    "PriceSource",
    "Reason",
    "Verdict",
    "check_claim",
    "check_comparison",
    "checked_claim",
    "load_prices_dir",
    "read_prices_dir",
]
