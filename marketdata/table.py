"""The price table as a ``PriceSource`` (``DbPrices``), and ``save_fetched`` writing to it.

Rows fetched online are upserted (``save_fetched``, ``DbPrices.store``); the bulk import of price
CSVs into the same table is ``marketdata.price_import``, which imports this module's ``TABLE``.

Reads go through a raw DB-API connection in autocommit: on SQLite the store's engine begins
every transaction with BEGIN IMMEDIATE, and a price lookup made while the caller's own write
transaction is open (the worker checks inside one) must neither take nor wait for that lock.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from checker.prices import (
    FIELDS,
    InMemoryPrices,
    PriceBar,
    PriceSource,
    SeriesColumns,
    columns_from_bars,
)
from marketdata.providers.yahoo import PROVIDER, ReadThroughPrices
from store.tables import PriceRow

TABLE = PriceRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table classes
# Symbols whose series DbPrices keeps in memory (one symbol is ~3k rows, ~170 kB as columns);
# an article names a handful of symbols and a worker batch a few dozen.
CACHE_SYMBOLS = 128
# Seconds a cached series is trusted before it is read again: an import or a fetch in another
# process shows up within this long.
CACHE_SECONDS = 60.0


def save_fetched(prices: PriceSource, target: Engine | Session) -> int:
    """Write what a read-through source fetched online into the table; 0 for other sources.

    With a session the rows join the caller's transaction (on SQLite a second connection would
    wait for that transaction's lock).
    """
    if not isinstance(prices, ReadThroughPrices):
        return 0
    bars = [bar for fetched in prices.take_fetched().values() for bar in fetched]
    return store_bars(
        target.connection() if isinstance(target, Session) else target, bars, source=PROVIDER
    )


def store_bars(target: Engine | Connection, bars: Sequence[PriceBar], *, source: str) -> int:
    """Upsert bars (from an online provider) into the table; the number written."""
    if not bars:
        return 0
    dialect = postgresql if target.dialect.name == "postgresql" else sqlite
    rows = [
        {"symbol": b.symbol, "day": b.day, **{f: getattr(b, f) for f in FIELDS}, "source": source}
        for b in bars
    ]
    statement = dialect.insert(TABLE)
    statement = statement.on_conflict_do_update(
        index_elements=["symbol", "day"],
        set_={name: statement.excluded[name] for name in (*FIELDS, "source")},
    )
    if isinstance(target, Connection):
        target.execute(statement, rows)
    else:
        with target.begin() as connection:
            connection.execute(statement, rows)
    return len(rows)


class DbPrices:
    """A ``PriceSource`` over the prices table, keeping recently asked symbols in memory."""

    def __init__(
        self,
        engine: Engine,
        *,
        cache_symbols: int = CACHE_SYMBOLS,
        cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self._engine = engine
        self._cache: OrderedDict[str, tuple[float, InMemoryPrices, SeriesColumns]] = OrderedDict()
        self._size, self._max_age = cache_symbols, cache_seconds
        marks = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._sql = (
            f"SELECT day, {', '.join(FIELDS)} FROM prices WHERE symbol = {marks} ORDER BY day"
        )

    @property
    def provider(self) -> str:
        return "prices"

    def bars(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        return self._series(symbol)[0].bars(symbol, start, end)

    def bar_on_or_before(self, symbol: str, day: date) -> PriceBar | None:
        return self._series(symbol)[0].bar_on_or_before(symbol, day)

    def last_day(self, symbol: str) -> date | None:
        return self._series(symbol)[0].last_day(symbol)

    def first_day(self, symbol: str) -> date | None:
        """The symbol's earliest day with data; None for a symbol the table does not hold."""
        days = self._series(symbol)[1].days
        return days[0] if days else None

    def store(self, bars: Sequence[PriceBar], *, source: str) -> int:
        """Upsert bars in their own transaction and forget the symbols' cached series."""
        written = store_bars(self._engine, bars, source=source)
        self.forget({b.symbol for b in bars})
        return written

    def forget(self, symbols: Iterable[str] | None = None) -> None:
        """Drop cached series (all of them by default), e.g. after an import."""
        if symbols is None:
            self._cache.clear()
        for symbol in symbols or ():
            self._cache.pop(symbol, None)

    def _series(self, symbol: str) -> tuple[InMemoryPrices, SeriesColumns]:
        now = time.monotonic()
        hit = self._cache.get(symbol)
        if hit is not None and now - hit[0] < self._max_age:
            self._cache.move_to_end(symbol)
            return hit[1], hit[2]
        series = self._load(symbol)
        prices = InMemoryPrices.from_columns({symbol: series} if series.days else {})
        self._cache[symbol] = (now, prices, series)
        self._cache.move_to_end(symbol)
        while len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return prices, series

    def _load(self, symbol: str) -> SeriesColumns:
        raw = self._engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(self._sql, (symbol,))
            rows = cursor.fetchall()
            cursor.close()
            raw.rollback()  # ends PostgreSQL's implicit read transaction; a no-op on SQLite
        finally:
            raw.close()
        bars = [
            PriceBar(symbol, d if isinstance(d, date) else date.fromisoformat(d), *values)
            for d, *values in rows
        ]
        return columns_from_bars(bars)
