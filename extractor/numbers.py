"""Numbers as written -> values: "$3.3 billion" -> (3.3e9, "usd"), word fractions, ranges, hedges.

No spaCy here: plain functions over strings, so every rule is a row in a table-driven test.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.types import Bound, Unit


@dataclass(frozen=True, slots=True)
class Amount:
    """A figure found in text: exact character offsets, the value and how it is hedged."""

    text: str
    start: int
    end: int
    value: float | None
    unit: Unit
    low: float | None = None
    high: float | None = None
    approx: bool = False
    bound: Bound | None = None
