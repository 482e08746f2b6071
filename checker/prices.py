"""Daily price bars and the small interface every market-data provider sits behind.

``PriceSource`` is the I/O edge: the checker asks it for bars and nothing else. ``InMemoryPrices``
is its in-memory twin, used by unit tests and by the CSV loader; it keeps each symbol as columns
(``SeriesColumns``: sorted days and one float array per field, NaN where a value is missing) and
builds a ``PriceBar`` only when one is asked for, so millions of rows load quickly.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

# The fields a bar may carry, as column names; "date" is the key and not a column.
FIELDS: tuple[str, ...] = ("open", "high", "low", "close", "adj_close", "volume", "dividend")


@dataclass(frozen=True, slots=True)
class PriceBar:
    """One symbol's trading day. ``close`` is as traded; ``adj_close`` includes distributions."""

    symbol: str
    day: date
    open: float | None = None
    high: float | None = None
    low: float | None = None
    close: float | None = None
    adj_close: float | None = None
    volume: int | None = None
    dividend: float | None = None


class PriceSource(Protocol):
    """Where the checker reads prices: CSV files in memory, the price table, an online cache."""

    @property
    def provider(self) -> str:
        """A short name for evidence ("csv:marketdata", "memory", "yfinance")."""
        ...

    def bars(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        """The symbol's bars with ``start <= day <= end``, oldest first."""
        ...

    def bar_on_or_before(self, symbol: str, day: date) -> PriceBar | None:
        """The symbol's last bar on or before ``day``; None when there is none."""
        ...

    def last_day(self, symbol: str) -> date | None:
        """The symbol's latest day with data; None for a symbol the source does not know."""
        ...


@dataclass(frozen=True, slots=True)
class SeriesColumns:
    """One symbol's data as columns: strictly increasing ``days`` and a float array per field."""

    days: list[date]
    columns: dict[str, array[float]] = field(default_factory=dict)

    def value(self, name: str, i: int) -> float | None:
        """Column ``name`` on row ``i``; None when the column or the value is missing."""
        column = self.columns.get(name)
        if column is None:
            return None
        x = column[i]
        return None if math.isnan(x) else x


def columns_from_bars(bars: Iterable[PriceBar]) -> SeriesColumns:
    """Bars (any order; a later bar for the same day wins) -> columns."""
    by_day = {bar.day: bar for bar in bars}
    days = sorted(by_day)
    columns: dict[str, array[float]] = {}
    for name in FIELDS:
        values = [getattr(by_day[d], name) for d in days]
        if any(v is not None for v in values):
            columns[name] = array("d", [math.nan if v is None else float(v) for v in values])
    return SeriesColumns(days, columns)


class InMemoryPrices:
    """A ``PriceSource`` held in memory: ``InMemoryPrices({"SPY": [PriceBar(...), ...]})``."""

    def __init__(
        self, bars: Mapping[str, Iterable[PriceBar]] | None = None, *, provider: str = "memory"
    ) -> None:
        self._series = {symbol: columns_from_bars(rows) for symbol, rows in (bars or {}).items()}
        self._provider = provider

    @classmethod
    def from_columns(
        cls, series: Mapping[str, SeriesColumns], *, provider: str = "memory"
    ) -> InMemoryPrices:
        """Wrap already-columnar data (what the CSV loader builds) without copying it."""
        prices = cls(provider=provider)
        prices._series = dict(series)
        return prices

    @property
    def provider(self) -> str:
        return self._provider

    def symbols(self) -> list[str]:
        """Every symbol held, sorted."""
        return sorted(self._series)

    def series(self, symbol: str) -> SeriesColumns | None:
        """The symbol's columns, or None."""
        return self._series.get(symbol)

    def bars(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        series = self._series.get(symbol)
        if series is None:
            return []
        lo, hi = bisect_left(series.days, start), bisect_right(series.days, end)
        return [_bar(symbol, series, i) for i in range(lo, hi)]

    def bar_on_or_before(self, symbol: str, day: date) -> PriceBar | None:
        series = self._series.get(symbol)
        if series is None:
            return None
        i = bisect_right(series.days, day) - 1
        return _bar(symbol, series, i) if i >= 0 else None

    def last_day(self, symbol: str) -> date | None:
        series = self._series.get(symbol)
        return series.days[-1] if series is not None and series.days else None


def _bar(symbol: str, series: SeriesColumns, i: int) -> PriceBar:
    values: dict[str, Any] = {}
    for name, column in series.columns.items():
        x = column[i]
        if x == x:  # NaN marks a missing value
            values[name] = x
    if "volume" in values:
        values["volume"] = int(values["volume"])
    return PriceBar(symbol, series.days[i], **values)
