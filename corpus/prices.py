"""The price table as a ``PriceSource`` (``DbPrices``), and ``import_prices`` filling it from CSV.

Import: folders are walked with ``checker.providers.csv``; several files for one symbol are merged
column by column, one source per series (symbol + column), the file covering more days winning
(each such conflict is reported). Bad rows are counted, never fatal. An import replaces the
symbol's rows on the days it covers, so importing the same files twice leaves the same table.
Rows go in as DB-API batches on the transaction's connection (``executemany`` on SQLite,
``COPY`` on PostgreSQL); on SQLite ``synchronous=OFF`` while a whole import runs in one
transaction (a crash mid-import loses the import, never the database: WAL still protects it).

Reads go through a raw DB-API connection in autocommit: on SQLite the store's engine begins
every transaction with BEGIN IMMEDIATE, and a price lookup made while the caller's own write
transaction is open (the worker checks inside one) must neither take nor wait for that lock.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from checker.errors import NoPriceFiles, PriceDataError
from checker.prices import (
    FIELDS,
    InMemoryPrices,
    PriceBar,
    PriceSource,
    SeriesColumns,
    columns_from_bars,
)
from checker.providers.csv import CsvFile, find_csv_files, merge, read_csv
from checker.providers.yahoo import PROVIDER, ReadThroughPrices
from corpus.tables import PriceRow

log = logging.getLogger(__name__)

TABLE = PriceRow.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table classes
COLUMNS = ("symbol", "day", *FIELDS, "source")
# Rows per executemany call. Not tuned: past a few thousand rows the per-call overhead is noise
# next to SQLite's own work, and 50k rows bound the batch to a few MB. (A 128 MiB page cache
# during the import was tried: 23.9 s -> 23.3-23.9 s on the shared marketdata, so not kept.)
BATCH_ROWS = 50_000
# Symbols whose series DbPrices keeps in memory (one symbol is ~3k rows, ~170 kB as columns);
# an article names a handful of symbols and a worker batch a few dozen.
CACHE_SYMBOLS = 128
# Seconds a cached series is trusted before it is read again: an import or a fetch in another
# process shows up within this long.
CACHE_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two or more files give the same series (symbol + column); the one with more days is kept."""

    symbol: str
    column: str
    kept: str
    kept_days: int
    dropped: tuple[tuple[str, int], ...]  # (file, days) of every file not used for the series


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What ``import_prices`` read and wrote."""

    rows: int
    symbols: int
    files: int
    seconds: float
    bad_rows: tuple[tuple[str, int], ...]  # (file, rows skipped), only files with some
    skipped: tuple[str, ...]  # files that are not price CSVs
    conflicts: tuple[Conflict, ...]

    @property
    def rows_per_second(self) -> float:
        """Rows written per wall-clock second, reading included."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def import_prices(target: Engine | Session, paths: Iterable[Path | str]) -> ImportReport:
    """Read price CSVs under ``paths`` (folders are walked) into the prices table.

    With an engine the import is its own transaction; with a session the caller owns it.
    """
    began = time.perf_counter()
    files, skipped = read_files(paths)
    series, sources = merge(files)
    conflicts = find_conflicts(files, sources)
    if isinstance(target, Session):
        write_series(target.connection(), series, sources)
    else:
        _write_fast(target, series, sources)
    seconds = time.perf_counter() - began
    bad = tuple((str(f.path), f.bad_rows) for f in files if f.bad_rows)
    rows = sum(len(s.days) for s in series.values())
    log.info("imported %d price rows of %d symbols in %.1f s", rows, len(series), seconds)
    return ImportReport(
        rows, len(series), len(files), seconds, bad, tuple(map(str, skipped)), conflicts
    )


def read_files(paths: Iterable[Path | str]) -> tuple[list[CsvFile], list[Path]]:
    """Every price CSV under ``paths`` parsed; files that are not price CSVs listed apart."""
    day_cache: dict[str, date] = {}
    parsed: list[CsvFile] = []
    skipped: list[Path] = []
    for root in map(Path, paths):
        if not root.exists():
            raise PriceDataError(f"no such price folder or file: {root}")
        for path in [root] if root.is_file() else find_csv_files(root):
            result = read_csv(path, day_cache=day_cache)
            if result is None:
                skipped.append(path)
            else:
                parsed.append(result)
    if not parsed:
        raise NoPriceFiles(f"no price CSV under {', '.join(map(str, paths))}")
    return parsed, skipped


def find_conflicts(
    files: Sequence[CsvFile], sources: dict[tuple[str, str], Path]
) -> tuple[Conflict, ...]:
    """Series given by more than one file, with the file kept and the ones dropped."""
    givers: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for f in files:
        for name, column in f.series.columns.items():
            days = sum(1 for x in column if not math.isnan(x))
            givers.setdefault((f.symbol, name), []).append((str(f.path), days))
    out = []
    for (symbol, name), given in sorted(givers.items()):
        if len(given) > 1:
            kept = str(sources[symbol, name])
            days = dict(given)[kept]
            dropped = tuple((path, n) for path, n in given if path != kept)
            out.append(Conflict(symbol, name, kept, days, dropped))
    return tuple(out)


def _write_fast(
    engine: Engine, series: dict[str, SeriesColumns], sources: dict[tuple[str, str], Path]
) -> None:
    """One transaction; on SQLite without fsync while it runs."""
    with engine.connect() as connection:
        # Outside any transaction (SQLite refuses it inside), on the DB-API connection itself.
        raw = connection.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA synchronous=OFF")
        try:
            with connection.begin():
                write_series(connection, series, sources)
        finally:
            if raw is not None:
                raw.execute("PRAGMA synchronous=NORMAL")  # what corpus.db sets on connect


def write_series(
    connection: Connection,
    series: dict[str, SeriesColumns],
    sources: dict[tuple[str, str], Path],
) -> None:
    """Replace each symbol's rows on the days it covers with the merged series."""
    spans = [
        {"s": symbol, "a": s.days[0], "b": s.days[-1]} for symbol, s in series.items() if s.days
    ]
    if spans:
        column = TABLE.c
        statement = delete(TABLE).where(
            column.symbol == bindparam("s"), column.day.between(bindparam("a"), bindparam("b"))
        )
        connection.execute(statement, spans)
    postgres = connection.dialect.name == "postgresql"
    day_text: dict[date, Any] = {}
    rows = (
        row
        for symbol in sorted(series)
        for row in _rows(symbol, series[symbol], _source(symbol, sources), day_text, postgres)
    )
    if postgres:
        _copy(connection, rows)
    else:
        _insert_batches(connection, rows)


def _source(symbol: str, sources: dict[tuple[str, str], Path]) -> str:
    """The row's source: the file of its Close series (else of its Adj Close series)."""
    path = sources.get((symbol, "close")) or sources.get((symbol, "adj_close"))
    return f"csv:{path.parent.name}/{path.name}" if path else "csv"


def _rows(
    symbol: str, series: SeriesColumns, source: str, day_text: dict[date, Any], postgres: bool
) -> Iterator[tuple[Any, ...]]:
    """The series as table rows in COLUMNS order (None for missing values)."""
    n = len(series.days)
    if postgres:  # psycopg adapts dates itself
        days: Iterable[Any] = series.days
    else:  # what SQLAlchemy's Date stores on SQLite: ISO text
        days = [day_text.get(d) or day_text.setdefault(d, d.isoformat()) for d in series.days]
    values: list[Iterable[Any]] = []
    for name in FIELDS:
        column = series.columns.get(name)
        if column is None:
            values.append(repeat(None, n))
        elif name == "volume":
            values.append([None if x != x else int(x) for x in column])
        else:
            values.append([None if x != x else x for x in column])
    return zip(repeat(symbol, n), days, *values, repeat(source, n), strict=False)


def _insert_batches(connection: Connection, rows: Iterator[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" if connection.dialect.paramstyle == "qmark" else "%s" for _ in COLUMNS)
    sql = f"INSERT INTO prices ({', '.join(COLUMNS)}) VALUES ({marks})"
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            connection.exec_driver_sql(sql, batch)
            batch = []
    if batch:
        connection.exec_driver_sql(sql, batch)


def _copy(connection: Connection, rows: Iterator[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY on the transaction's own psycopg connection."""
    raw = connection.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY prices ({', '.join(COLUMNS)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


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
