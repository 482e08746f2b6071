"""The instrument reference: the built-in lists, the importers and the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus import instruments
from corpus.instruments import BadInstrumentFile, import_file, load_lexicon

BUILTIN = [
    ("^GSPC", "index"),
    ("^IXIC", "index"),
    ("^DJI", "index"),
    ("SPY", "etf"),
    ("IWC", "etf"),
    ("NVDA", "stock"),
    ("BRK-B", "stock"),
    ("GOOGL", "stock"),
]


@pytest.mark.parametrize(("symbol", "kind"), BUILTIN)
def test_instruments_builtin_reference_has_symbol(tmp_path: Path, symbol: str, kind: str) -> None:
    item = load_lexicon(tmp_path).get(symbol)
    assert item is not None
    assert item.kind == kind


NAMES = [
    ("Nvidia", "NVDA"),
    ("Alphabet", "GOOGL"),
    ("Google", "GOOGL"),
    ("Meta", "META"),
    ("Berkshire Hathaway", "BRK-B"),
    ("S&P 500", "^GSPC"),
    ("Nasdaq", "^IXIC"),
    ("Dow Jones Industrial Average", "^DJI"),
    ("iShares Micro-Cap ETF", "IWC"),
]


@pytest.mark.parametrize(("name", "symbol"), NAMES)
def test_instruments_builtin_reference_knows_name(tmp_path: Path, name: str, symbol: str) -> None:
    item = load_lexicon(tmp_path).by_name(name)
    assert item is not None
    assert item.symbol == symbol


# (file, at least this many records, a symbol it holds, its kind, a name that finds it)
IMPORTS = [
    ("company_tickers.json", 9000, "ECL", "stock", "Ecolab Inc"),
    ("company_tickers_exchange.json", 6000, "DAO", "stock", "Youdao, Inc."),
    ("nasdaqlisted.txt", 4000, "QQQ", "etf", "Invesco QQQ Trust, Series 1"),
    ("otherlisted.txt", 5000, "IWC", "etf", "iShares Microcap ETF"),
    ("us_listed_symbols.csv", 9000, "AA", "stock", "Alcoa Corporation"),
]


@pytest.mark.parametrize(("filename", "least", "symbol", "kind", "name"), IMPORTS)
def test_instruments_import_file_reads_format(
    shared_dir: Path,
    tmp_path: Path,
    filename: str,
    least: int,
    symbol: str,
    kind: str,
    name: str,
) -> None:
    count = import_file(shared_dir / "reference" / filename, tmp_path)
    assert count >= least
    lexicon = load_lexicon(tmp_path)
    records = list(instruments.read_imported(sorted(tmp_path.glob("instruments/*.csv"))))
    assert any(r.symbol == symbol and r.kind == kind for r in records)
    found = lexicon.by_name(name)
    assert found is not None
    assert found.symbol == symbol


def test_instruments_exchange_import_skips_otc(shared_dir: Path) -> None:
    path = shared_dir / "reference" / "company_tickers_exchange.json"
    symbols = {i.symbol for i in instruments.parse_instrument_file(path)}
    assert "NVDA" in symbols
    assert not any(s.endswith("-WT") or "-P" in s for s in symbols)


def test_instruments_import_skips_warrants_and_test_issues() -> None:
    text = (
        "Symbol|Security Name|Market Category|Test Issue|Financial Status|Round Lot Size|ETF|"
        "NextShares\n"
        "ABCD|Abcd Inc. - Common Stock|Q|N|N|100|N|N\n"
        "ABCDW|Abcd Inc. - Warrants|Q|N|N|100|N|N\n"
        "ZXZZT|NASDAQ TEST STOCK|Q|Y|N|100|N|N\n"
        "File Creation Time: 0721202500:01|||||||\n"
    )
    assert [i.symbol for i in instruments.parse_nasdaq_directory(text)] == ["ABCD"]


def test_instruments_load_lexicon_caches_and_sees_new_imports(
    shared_dir: Path, tmp_path: Path
) -> None:
    before = len(load_lexicon(tmp_path))
    assert len(list((tmp_path / "cache").glob("lexicon-*.json"))) == 1
    assert len(load_lexicon(tmp_path)) == before  # from the cache
    import_file(shared_dir / "reference" / "company_tickers.json", tmp_path)
    assert len(load_lexicon(tmp_path)) > before
    assert len(list((tmp_path / "cache").glob("lexicon-*.json"))) == 1


@pytest.mark.parametrize("cached", ["{not json", '[["SPY", "SPDR", "etf"]]', '"a string"', "[[1]]"])
def test_instruments_a_broken_cache_is_rebuilt(tmp_path: Path, cached: str) -> None:
    """The cache is data (JSON records), never code: whatever is in the file, the lexicon is
    rebuilt from the sources and the file replaced."""
    expected = len(load_lexicon(tmp_path))
    [cache] = (tmp_path / "cache").glob("lexicon-*.json")
    cache.write_text(cached, encoding="utf-8")
    assert len(load_lexicon(tmp_path)) == expected
    assert json.loads(cache.read_text(encoding="utf-8"))[0][0]  # rewritten: records again


BAD = [
    ("list.json", "[1, 2, 3]"),
    ("broken.json", "{not json"),
    ("empty.csv", "Symbol,Name\n"),
    ("nocolumns.csv", "a,b\n1,2\n"),
]


@pytest.mark.parametrize(("filename", "text"), BAD)
def test_instruments_import_file_rejects_unknown_layout(
    tmp_path: Path, filename: str, text: str
) -> None:
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInstrumentFile):
        import_file(path, tmp_path / "data")
