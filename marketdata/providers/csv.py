"""Yahoo-style CSV files -> price bars.

A file is ``<SYMBOL>.csv`` (``^GSPC.csv`` included) with a header naming its columns, any subset of
``Date,Open,High,Low,Close,Adj Close,Volume,Dividends`` that has ``Date`` and ``Close`` or
``Adj Close``. Folders are walked. Several files for one symbol are merged column by column, one
source per series (symbol + column): when two files give the same series, the one with more days
wins. Bad rows are counted and skipped, never fatal; files without a price header are skipped. A
row is bad when a date or number does not parse, or a number is infinite, NaN spelled as a number
("-nan"; "nan", "null" and "" are missing values) or negative (except prices of ``^`` indices and
``=F`` futures: ^IRX is a yield, below zero in 2020, and CL=F closed at -37.63 on 2020-04-20).

Parsing is columnar: a well-formed file is split in one pass and each column converted with
``map(float, ...)``; only a file that fails that falls back to the row-by-row ``csv`` reader.
"""

from __future__ import annotations

import csv
import logging
import math
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import lt
from pathlib import Path

from checker.prices import InMemoryPrices, PriceBar, SeriesColumns
from marketdata.errors import NoPriceFiles, PriceDataError

log = logging.getLogger(__name__)

# Header cell (lower case, without spaces, "_" and "-") -> our column name.
HEADER_NAMES = {
    "date": "date",
    "open": "open",
    "high": "high",
    "low": "low",
    "close": "close",
    "adjclose": "adj_close",
    "adjustedclose": "adj_close",
    "volume": "volume",
    "dividend": "dividend",
    "dividends": "dividend",
}
MISSING = frozenset({"", "null", "nan", "none", "na", "n/a", "-"})
SIGNED_NAN = re.compile(r"[+-]nan", re.IGNORECASE)  # a number that is none, not a missing value
PRICE_COLUMNS = frozenset({"open", "high", "low", "close", "adj_close"})
_HEADER_JUNK = re.compile(r"[\s_\-\"']")


@dataclass(frozen=True, slots=True)
class CsvFile:
    """One parsed file."""

    path: Path
    symbol: str
    series: SeriesColumns
    bad_rows: int


@dataclass(frozen=True, slots=True)
class CsvLoad:
    """Everything read from a folder: merged series, where each came from, what was skipped."""

    series: dict[str, SeriesColumns]
    sources: dict[tuple[str, str], Path]  # (symbol, column) -> the file that series came from
    files: int
    skipped: tuple[Path, ...]
    bad_rows: int

    @property
    def rows(self) -> int:
        """Rows (symbol-days) after merging."""
        return sum(len(s.days) for s in self.series.values())

    def bars(self, symbol: str) -> list[PriceBar]:
        """The symbol's merged bars, oldest first."""
        return self.to_prices().bars(symbol, date.min, date.max)

    def to_prices(self, *, provider: str = "csv") -> InMemoryPrices:
        """The merged series as an in-memory ``PriceSource``."""
        return InMemoryPrices.from_columns(self.series, provider=provider)


def load_prices_dir(root: Path | str) -> InMemoryPrices:
    """Read every price CSV under ``root`` into an ``InMemoryPrices``, named by the folder's name
    (evidence is served to API readers: never the server's full path)."""
    load = read_prices_dir(root)
    return load.to_prices(provider=f"csv:{Path(root).name}")


def read_prices_dir(root: Path | str) -> CsvLoad:
    """Read and merge every price CSV under ``root`` (a folder, walked, or a single file)."""
    parsed, skipped = read_files([root])
    series, sources = merge(parsed)
    bad = sum(f.bad_rows for f in parsed)
    if bad:
        log.warning("skipped %s bad rows in %s files under %s", bad, len(parsed), root)
    return CsvLoad(series, sources, len(parsed), tuple(skipped), bad)


def read_files(paths: Iterable[Path | str]) -> tuple[list[CsvFile], list[Path]]:
    """Every price CSV under ``paths`` (folders, walked, or files) parsed; files that are not
    price CSVs listed apart. PriceDataError for a path that does not exist, NoPriceFiles when
    none is a price CSV."""
    paths = list(paths)
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


def find_csv_files(root: Path) -> list[Path]:
    """``*.csv`` files under ``root``, in a stable order."""
    return sorted(p for p in root.rglob("*") if p.suffix.lower() == ".csv" and p.is_file())


def read_csv(path: Path, *, day_cache: dict[str, date] | None = None) -> CsvFile | None:
    """One file -> columns; None when it is unreadable or has no Date and Close/Adj Close header."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        log.warning("cannot read %s: %s", path, err)
        return None
    header, _, body = text.partition("\n")
    names = [HEADER_NAMES.get(_HEADER_JUNK.sub("", cell.lower())) for cell in header.split(",")]
    if "date" not in names or not {"close", "adj_close"} & set(names):
        return None
    body = body.replace("\r", "").strip()
    cache = {} if day_cache is None else day_cache
    symbol = path.stem.strip()
    signed = signed_prices(symbol)
    try:
        series = _parse_fast(body, names, cache, signed=signed)
        bad = 0
    except ValueError:
        rows = [line for line in body.split("\n") if line.strip()]
        series, bad = _parse_slow(rows, names, signed=signed)
    return CsvFile(path, symbol, series, bad)


def signed_prices(symbol: str) -> bool:
    """Whether the symbol's prices may be below zero: indices (yields) and futures."""
    return symbol.startswith("^") or symbol.upper().endswith("=F")


def _column_ok(name: str, column: array[float], *, signed: bool) -> bool:
    """No infinity, and nothing below zero but a signed symbol's prices (NaN: missing)."""
    if any(map(math.isinf, column)):
        return False
    return (signed and name in PRICE_COLUMNS) or not any(map((0.0).__gt__, column))


def _value_ok(name: str, x: float, *, signed: bool) -> bool:
    return not math.isinf(x) and (x >= 0 or x != x or (signed and name in PRICE_COLUMNS))


def _parse_fast(
    body: str, names: Sequence[str | None], cache: dict[str, date], *, signed: bool
) -> SeriesColumns:
    """Every row well formed, valid and sorted: split once, convert whole columns. ValueError
    otherwise (the slow path then finds the bad rows)."""
    k = len(names)
    parts = body.replace("\n", ",").split(",")
    if not body or len(parts) != k * (body.count("\n") + 1):
        raise ValueError("ragged rows")
    texts = parts[names.index("date") :: k]
    try:
        days = [cache[s] for s in texts]
    except KeyError:  # first sight of some of these dates: parse and remember them
        days = [cache.get(s) or _cached_day(cache, s) for s in texts]
    if not all(map(lt, days, days[1:])):
        raise ValueError("days not strictly increasing")
    columns = {
        name: array("d", map(float, parts[j::k]))
        for j, name in enumerate(names)
        if name is not None and name != "date"
    }
    if not all(_column_ok(name, column, signed=signed) for name, column in columns.items()):
        raise ValueError("a value out of range")
    if SIGNED_NAN.search(body):
        raise ValueError("NaN spelled as a number")
    return SeriesColumns(days, columns)


def _cached_day(cache: dict[str, date], text: str) -> date:
    day = cache[text] = date.fromisoformat(text)
    return day


def _parse_slow(
    rows: list[str], names: Sequence[str | None], *, signed: bool
) -> tuple[SeriesColumns, int]:
    """Row by row with the csv module: bad rows counted and skipped, a later duplicate day wins."""
    wanted = [(j, name) for j, name in enumerate(names) if name is not None and name != "date"]
    at = names.index("date")
    bad = 0
    found: dict[date, dict[str, float]] = {}
    for cells in csv.reader(rows):
        if len(cells) != len(names):
            bad += 1
            continue
        try:
            day = date.fromisoformat(cells[at].strip()[:10])
            values = {name: _number(cells[j]) for j, name in wanted}
        except ValueError:
            bad += 1
            continue
        if not all(_value_ok(name, x, signed=signed) for name, x in values.items()):
            bad += 1
            continue
        if not all(math.isnan(x) for x in values.values()):  # Yahoo's all-"null" rows: no data
            found[day] = values
    days = sorted(found)
    columns = {
        name: array("d", [found[d][name] for d in days])
        for _, name in wanted
        if any(not math.isnan(found[d][name]) for d in days)
    }
    return SeriesColumns(days, columns), bad


def _number(cell: str) -> float:
    cell = cell.strip()
    if cell.lower() in MISSING:
        return math.nan
    value = float(cell)
    if value != value:  # "-nan", "+NaN": a number that is none, not a missing value
        raise ValueError(f"not a number: {cell!r}")
    return value


def merge(files: Iterable[CsvFile]) -> tuple[dict[str, SeriesColumns], dict[tuple[str, str], Path]]:
    """Files -> one series per symbol, each column from the file that covers it on more days."""
    by_symbol: dict[str, list[CsvFile]] = {}
    for f in files:
        by_symbol.setdefault(f.symbol, []).append(f)
    series: dict[str, SeriesColumns] = {}
    sources: dict[tuple[str, str], Path] = {}
    for symbol, group in by_symbol.items():
        if len(group) == 1:
            series[symbol] = group[0].series
            sources.update({(symbol, name): group[0].path for name in group[0].series.columns})
            continue
        chosen = _choose_columns(group)
        sources.update({(symbol, name): f.path for name, f in chosen.items()})
        series[symbol] = _combine(chosen)
    return series, sources


def _choose_columns(group: list[CsvFile]) -> dict[str, CsvFile]:
    chosen: dict[str, CsvFile] = {}
    best: dict[str, int] = {}
    for f in group:
        for name, column in f.series.columns.items():
            count = sum(1 for x in column if not math.isnan(x))
            if count > best.get(name, 0):  # ties keep the earlier file (path order)
                chosen[name], best[name] = f, count
    return chosen


def _combine(chosen: dict[str, CsvFile]) -> SeriesColumns:
    days = sorted({d for f in chosen.values() for d in f.series.days})
    index = {d: i for i, d in enumerate(days)}
    columns: dict[str, array[float]] = {}
    for name, f in chosen.items():
        column = array("d", [math.nan]) * len(days)
        for d, x in zip(f.series.days, f.series.columns[name], strict=True):
            column[index[d]] = x
        columns[name] = column
    return SeriesColumns(days, columns)


def bars_from_file(path: Path) -> list[PriceBar]:
    """One file's bars (the symbol is the file stem); empty when it is not a price file."""
    parsed = read_csv(path)
    if parsed is None:
        return []
    prices = InMemoryPrices.from_columns({parsed.symbol: parsed.series})
    return prices.bars(parsed.symbol, date.min, date.max)


__all__ = [
    "CsvFile",
    "CsvLoad",
    "bars_from_file",
    "find_csv_files",
    "load_prices_dir",
    "merge",
    "read_csv",
    "read_prices_dir",
]
