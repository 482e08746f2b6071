"""Instrument reference: symbols, names and aliases, built from records the caller passes in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

InstrumentKind = Literal["stock", "etf", "index", "other"]


@dataclass(frozen=True, slots=True)
class Instrument:
    """One tradable instrument or index: its Yahoo-style symbol, name and other names."""

    symbol: str
    name: str
    kind: InstrumentKind = "stock"
    aliases: tuple[str, ...] = ()


class Lexicon:
    """Lookup tables over a set of instruments."""

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        self.by_symbol: dict[str, Instrument] = {i.symbol: i for i in instruments}

    def __len__(self) -> int:
        return len(self.by_symbol)

    def get(self, symbol: str) -> Instrument | None:
        """The instrument with this symbol, if known."""
        return self.by_symbol.get(symbol)
