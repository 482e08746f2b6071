"""newsclaims' checker: claims + market data -> verdicts with evidence.

The arithmetic core (``rules``, ``check``, ``compare``) is pure and needs no database: prices come
through the small ``PriceSource`` protocol (``InMemoryPrices`` in memory; the price table, CSV
files and Yahoo live in ``marketdata``). The NYSE calendar lives in ``checker.calendar`` (imported
on its own: it loads exchange_calendars).
"""

from __future__ import annotations

from checker.check import Check, Reason, Verdict, check_claim, checked_claim
from checker.compare import check_comparison
from checker.errors import CheckerError
from checker.evidence import ComparisonEvidence, Evidence
from checker.prices import InMemoryPrices, PriceBar, PriceSource

__all__ = [
    "Check",
    "CheckerError",
    "ComparisonEvidence",
    "Evidence",
    "InMemoryPrices",
    "PriceBar",
    "PriceSource",
    "Reason",
    "Verdict",
    "check_claim",
    "check_comparison",
    "checked_claim",
]
