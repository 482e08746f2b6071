"""Import of price CSVs into the price table (``import_prices``); reads are in ``marketdata.table``.

Folders are walked with ``marketdata.providers.csv``; several files for one symbol are merged column
by column, one source per series (symbol + column), the file covering more days winning (each
such conflict is reported). Bad rows are counted, never fatal. An import replaces the symbol's
rows on the days it has (no other day: a two-row file leaves the rest of the history alone), so
importing the same files twice leaves the same table. Rows go in
as DB-API batches on the transaction's connection (``executemany`` on SQLite, ``COPY`` on
PostgreSQL), a whole import in one transaction with the store's durability: a crash or kill
mid-import loses that import and nothing stored before it (tests/marketdata/test_import_kill.py).
``DbPrices`` caches series: a caller holding one calls its ``forget`` after an import (other
processes see the rows within ``marketdata.table.CACHE_SECONDS``).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, select
from sqlmodel import Session

from checker.prices import FIELDS, SeriesColumns
from marketdata.providers.csv import CsvFile, merge, read_files
from marketdata.table import TABLE

log = logging.getLogger(__name__)

COLUMNS = ("symbol", "day", *FIELDS, "source")
# Rows per executemany call. Not tuned: past a few thousand rows the per-call overhead is noise
# next to SQLite's own work, and 50k rows bound the batch to a few MB. (A 128 MiB page cache
# during the import was tried: 23.9 s -> 23.3-23.9 s on the shared marketdata, so not kept.)
BATCH_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class SeriesConflict:
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
    conflicts: tuple[SeriesConflict, ...]

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


def find_conflicts(
    files: Sequence[CsvFile], sources: dict[tuple[str, str], Path]
) -> tuple[SeriesConflict, ...]:
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
            out.append(SeriesConflict(symbol, name, kept, days, dropped))
    return tuple(out)


def _write_fast(
    engine: Engine, series: dict[str, SeriesColumns], sources: dict[tuple[str, str], Path]
) -> None:
    """One transaction, with the store's own durability (SQLite: WAL, synchronous=NORMAL).

    ``synchronous=OFF`` was dropped: with it a power loss or OS crash during the import (or the
    checkpoint copying its pages into the database file) could corrupt the database, rows
    stored long before included; and it saved nothing measurable: the shared marketdata (3.79M
    rows) imported in 27-54 s with NORMAL and 32-56 s with OFF, two runs each on a busy machine."""
    with engine.begin() as connection:
        write_series(connection, series, sources)


def write_series(
    connection: Connection,
    series: dict[str, SeriesColumns],
    sources: dict[tuple[str, str], Path],
) -> None:
    """Replace each symbol's rows on the days the merged series has; other days are kept."""
    _clear_days(connection, series)
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


def _clear_days(connection: Connection, series: dict[str, SeriesColumns]) -> None:
    """Delete the stored rows on the (symbol, day)s about to be written, and no others: one
    range delete per symbol whose stored days in the file's span are all in the file (a fresh
    or repeated import), else one delete per day (a two-row upload into a year of history)."""
    column = TABLE.c
    spans: list[dict[str, Any]] = []
    days: list[dict[str, Any]] = []
    for symbol, s in series.items():
        if not s.days:
            continue
        first, last = s.days[0], s.days[-1]
        in_span = select(column.day).where(column.symbol == symbol, column.day.between(first, last))
        stored: Sequence[date] = connection.execute(in_span).scalars().all()
        wanted = set(s.days)
        if all(d in wanted for d in stored):
            spans.append({"s": symbol, "a": first, "b": last})
        else:
            days.extend({"s": symbol, "d": d} for d in stored if d in wanted)
    if spans:
        statement = delete(TABLE).where(
            column.symbol == bindparam("s"), column.day.between(bindparam("a"), bindparam("b"))
        )
        connection.execute(statement, spans)
    if days:
        statement = delete(TABLE).where(
            column.symbol == bindparam("s"), column.day == bindparam("d")
        )
        connection.execute(statement, days)


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
