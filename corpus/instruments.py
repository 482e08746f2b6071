"""The runtime instrument reference: our hand-made lists, pytickersymbols, and imported files.

``load_lexicon(data_dir)`` builds the extractor's Lexicon from, in order of precedence:
  0. ``corpus/reference/*.csv``: indices, major ETFs and brand names (symbol,name,aliases);
  1. pytickersymbols' US index constituents (S&P 500, Nasdaq-100, Dow, S&P 100/600);
  2. files imported with ``import_file`` into ``data_dir/instruments/*.csv``.
The records are cached as JSON under ``data_dir/cache/``, keyed by the sources' sizes and mtimes,
and the lookup tables are rebuilt from them (no pickle: the data directory is not trusted code).

``import_file(path, data_dir)`` reads the SEC ``company_tickers.json`` and
``company_tickers_exchange.json`` formats, the Nasdaq Trader symbol directories
(``nasdaqlisted.txt``, ``otherlisted.txt``) and CSV lists with a Symbol and a name column.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus.errors import CorpusError
from extractor import lexicon as lexicon_module
from extractor.lexicon import Instrument, InstrumentKind, Lexicon

log = logging.getLogger(__name__)

REFERENCE_DIR = Path(__file__).parent / "reference"
IMPORT_DIR = "instruments"
CACHE_DIR = "cache"
FIELDS = ("symbol", "name", "kind", "aliases")
# Bumped when the way records become a Lexicon changes, so old caches are ignored.
CACHE_VERSION = "4"
US_EXCHANGES = ("", "NYSE", "NASDAQ", "NYSEAMERICAN")
# Securities that are not an issuer's common stock or a fund (Nasdaq directory names).
_NOT_COMMON = re.compile(
    r"\b(warrants?|rights?|units?|preferred|notes? due|debentures|subordinated|"
    r"depositary shares? representing|when issued|% )\b",
    re.IGNORECASE,
)
_SYMBOL = re.compile(r"^[A-Z]{1,5}(-[A-C])?$")


class BadInstrumentFile(CorpusError):
    """A file ``import_file`` cannot read as an instrument list; the message says why."""

    code = "bad_instrument_file"


def load_lexicon(data_dir: Path) -> Lexicon:
    """The built-in reference plus instrument lists imported into ``data_dir``."""
    imported = sorted((data_dir / IMPORT_DIR).glob("*.csv"))
    sources = sorted(REFERENCE_DIR.glob("*.csv")) + imported
    cache = data_dir / CACHE_DIR / f"lexicon-{_fingerprint(sources)}.json"
    cached = _read_cache(cache)
    if cached is not None:
        return Lexicon(cached)
    records = [*builtin_instruments(), *read_imported(imported)]
    _write_cache(cache, records)
    return Lexicon(records)


def builtin_instruments() -> list[Instrument]:
    """Our hand-made lists (rank 0), then pytickersymbols' US index constituents (rank 1)."""
    items: list[Instrument] = []
    for path in sorted(REFERENCE_DIR.glob("*.csv")):
        kind: InstrumentKind = "index" if path.stem == "indices" else "stock"
        kind = "etf" if path.stem == "etfs" else kind
        items += [_with(row, kind=kind, rank=0) for row in read_csv_rows(path)]
    return items + list(packaged_constituents())


def packaged_constituents() -> Iterator[Instrument]:
    """US-listed constituents of the indices pytickersymbols ships, with Yahoo symbols."""
    from pytickersymbols import PyTickerSymbols  # imported here: only a cache miss needs it

    for stock in PyTickerSymbols().get_all_stocks():
        symbol = (stock.get("symbol") or "").replace(".", "-")
        listings = stock.get("symbols") or []
        us = {x.get("yahoo") for x in listings if _us_listing(x)}
        if symbol in us:  # primary listing in the US; foreign ADRs come from our lists or imports
            name = re.sub(r"\s*\(.*?\)", "", str(stock.get("name") or symbol))
            yield Instrument(symbol, name, "stock", (), rank=1)


def _us_listing(listing: dict[str, Any]) -> bool:
    """A NYSE or Nasdaq quote in dollars ("NYSE:NUE", or a bare "NUE"); not OTC or abroad."""
    google = str(listing.get("google") or "")
    venue = google.split(":", 1)[0] if ":" in google else ""
    return listing.get("currency") == "USD" and venue in US_EXCHANGES


def read_imported(paths: Iterable[Path]) -> Iterator[Instrument]:
    """Instruments stored by ``import_file`` (rank 2)."""
    for path in paths:
        for row in read_csv_rows(path):
            kind = row.get("kind", "stock")
            yield _with(row, kind=kind if kind in ("stock", "etf", "index") else "other", rank=2)


def import_file(path: Path, data_dir: Path) -> int:
    """Parse one instrument list and store it under ``data_dir``; returns the records stored."""
    records = list(dict.fromkeys(parse_instrument_file(path)))
    if not records:
        raise BadInstrumentFile(f"{path}: no instruments found")
    target = data_dir / IMPORT_DIR / f"{re.sub(r'[^A-Za-z0-9_-]+', '_', path.stem)}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for item in records:
            writer.writerow([item.symbol, item.name, item.kind, "|".join(item.aliases)])
    log.info("imported %d instruments from %s into %s", len(records), path, target)
    return len(records)


def parse_instrument_file(path: Path) -> list[Instrument]:
    """The instruments in one file of a supported format (see the module docstring)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise BadInstrumentFile(f"{path}: {err}") from err
    head = text.lstrip()[:1]
    if head in "{[":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise BadInstrumentFile(f"{path}: not JSON: {err}") from err
        return list(parse_sec(data))
    first = text.split("\n", 1)[0]
    if "|" in first:
        return list(parse_nasdaq_directory(text))
    return list(parse_csv_list(text))


def parse_sec(data: Any) -> Iterator[Instrument]:
    """SEC company_tickers.json ({"0": {"ticker", "title"}}) or its _exchange.json twin."""
    if isinstance(data, dict) and "fields" in data:
        fields = [str(f).lower() for f in data["fields"]]
        rows = [dict(zip(fields, row, strict=False)) for row in data.get("data", [])]
        rows = [r for r in rows if str(r.get("exchange") or "").upper() != "OTC"]
        pairs = [(r.get("ticker"), r.get("name")) for r in rows]
    elif isinstance(data, dict):
        pairs = [(r.get("ticker"), r.get("title")) for r in data.values() if isinstance(r, dict)]
    else:
        raise BadInstrumentFile("unknown JSON layout: expected the SEC ticker formats")
    for ticker, title in pairs:
        symbol = str(ticker or "").strip().upper().replace(".", "-")
        if _SYMBOL.match(symbol) and title:
            yield Instrument(symbol, str(title).strip(), "stock", ())


def parse_nasdaq_directory(text: str) -> Iterator[Instrument]:
    """Nasdaq Trader nasdaqlisted.txt / otherlisted.txt (pipe-delimited, with a trailer line)."""
    lines = [line for line in text.splitlines() if line and not line.startswith("File Creation")]
    for row in csv.DictReader(lines, delimiter="|"):
        symbol = (row.get("Symbol") or row.get("ACT Symbol") or "").strip().replace(".", "-")
        name = (row.get("Security Name") or "").strip()
        if row.get("Test Issue") == "Y" or not _SYMBOL.match(symbol) or _NOT_COMMON.search(name):
            continue
        yield Instrument(symbol, name, "etf" if row.get("ETF") == "Y" else "stock", ())


def parse_csv_list(text: str) -> Iterator[Instrument]:
    """A CSV with a Symbol column and a name column (Security Name, Security, Name or Title)."""
    reader = csv.DictReader(text.splitlines())
    columns = {c.lower(): c for c in reader.fieldnames or []}
    symbol_col = columns.get("symbol") or columns.get("ticker")
    names = [columns[c] for c in ("security name", "security", "name", "title") if c in columns]
    name_col = names[0] if names else None
    if not symbol_col or not name_col:
        raise BadInstrumentFile(f"CSV needs a symbol and a name column, has {list(columns)}")
    for row in reader:
        symbol = (row.get(symbol_col) or "").strip().upper().replace(".", "-")
        name = (row.get(name_col) or "").strip()
        if row.get("Test Issue") == "Y" or not _SYMBOL.match(symbol) or _NOT_COMMON.search(name):
            continue
        etf = (row.get("ETF") or "N").upper().startswith("Y")
        yield Instrument(symbol, name or symbol, "etf" if etf else "stock", ())


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of one symbol,name[,kind],aliases file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row.get("symbol")]


def _with(row: dict[str, str], *, kind: Any, rank: int) -> Instrument:
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    return Instrument(row["symbol"].strip(), row["name"].strip(), kind, aliases, rank=rank)


def _fingerprint(sources: list[Path]) -> str:
    # The code that builds a Lexicon is part of the key, so an upgrade never reads a stale cache.
    code = [Path(__file__), Path(lexicon_module.__file__ or "")]
    parts = [CACHE_VERSION, _package_version("pytickersymbols")]
    parts += [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in [*code, *sources]]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def _read_cache(cache: Path) -> list[Instrument] | None:
    """The cached records, or None when there is no cache or it is not what _write_cache wrote."""
    if not cache.is_file():
        return None
    try:
        rows = json.loads(cache.read_text(encoding="utf-8"))
        return [
            Instrument(str(symbol), str(name), kind, tuple(map(str, aliases)), rank=int(rank))
            for symbol, name, kind, aliases, rank in rows
        ]
    except (OSError, ValueError, TypeError) as err:  # JSONDecodeError is a ValueError
        log.warning("ignoring unreadable lexicon cache %s: %s", cache, err)
        return None


def _write_cache(cache: Path, records: list[Instrument]) -> None:
    rows = [[i.symbol, i.name, i.kind, list(i.aliases), i.rank] for i in records]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in [*cache.parent.glob("lexicon-*.json"), *cache.parent.glob("lexicon-*.pickle")]:
            old.unlink(missing_ok=True)  # another process may be replacing it too
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")  # one per process: workers start together
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
    except OSError as err:  # a read-only data_dir still gets a lexicon, just not a cached one
        log.warning("could not cache the lexicon in %s: %s", cache, err)
