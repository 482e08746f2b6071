"""providers/csv.py: Yahoo-style CSV folders -> merged price series."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker.prices import PriceBar
from marketdata.errors import NoPriceFiles, PriceDataError
from marketdata.providers.csv import bars_from_file, load_prices_dir, read_prices_dir

D = date.fromisoformat
FULL = "Date,Open,High,Low,Close,Adj Close,Volume,Dividends\n"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


HEADERS = [
    # (file text, the bar read for 2025-01-02)
    (
        FULL + "2025-01-02,1,3,0.5,2,1.9,100,0.1\n",
        PriceBar("X", D("2025-01-02"), 1.0, 3.0, 0.5, 2.0, 1.9, 100, 0.1),
    ),
    ("Date,Adj Close\n2025-01-02,1.9\n", PriceBar("X", D("2025-01-02"), adj_close=1.9)),
    ("Date,Close,Volume\n2025-01-02,2,7\n", PriceBar("X", D("2025-01-02"), close=2.0, volume=7)),
    ("Close,Date\n2,2025-01-02\n", PriceBar("X", D("2025-01-02"), close=2.0)),  # any order
    (
        "date,adjclose,close\n2025-01-02,1.9,2\n",
        PriceBar("X", D("2025-01-02"), close=2, adj_close=1.9),
    ),
    ("Date,Close\r\n2025-01-02,2\r\n\r\n", PriceBar("X", D("2025-01-02"), close=2.0)),
]


@pytest.mark.parametrize(("text", "expected"), HEADERS)
def test_csv_columns_by_header(tmp_path: Path, text: str, expected: PriceBar) -> None:
    assert bars_from_file(write(tmp_path, "X.csv", text)) == [expected]


BAD_ROWS = [
    # (rows after the header, good days kept, bad rows counted)
    ("2025-01-02,2\n2025-01-03,oops\n2025-01-06,3\n", 2, 1),
    ("2025-01-02,2\nnot a date,2\n", 1, 1),
    ("2025-01-02,2\n2025-01-03,2,9\n", 1, 1),  # too many cells
    ("2025-01-03,3\n2025-01-02,2\n", 2, 0),  # out of order: sorted, not bad
    ("2025-01-02,2\n2025-01-03,null\n", 1, 0),  # Yahoo's empty day: no data, not bad
    ('2025-01-02,"2"\n', 1, 0),  # quoted cells
]


@pytest.mark.parametrize(("rows", "days", "bad"), BAD_ROWS)
def test_csv_bad_rows_are_counted_not_fatal(tmp_path: Path, rows: str, days: int, bad: int) -> None:
    write(tmp_path, "X.csv", "Date,Close\n" + rows)
    load = read_prices_dir(tmp_path)
    assert (len(load.series["X"].days), load.bad_rows) == (days, bad)


def test_csv_walks_folders_and_skips_non_price_files(tmp_path: Path) -> None:
    write(tmp_path, "indices/^GSPC.csv", "Date,Close\n2025-01-02,5868.55\n")
    write(tmp_path, "adjusted/deep/BRK-B.csv", "Date,Adj Close\n2025-01-02,450.1\n")
    write(tmp_path, "manifest.csv", "file,ticker\nadjusted/A.csv,A\n")
    write(tmp_path, "notes.txt", "not a csv")
    load = read_prices_dir(tmp_path)
    assert sorted(load.series) == ["BRK-B", "^GSPC"]
    assert [p.name for p in load.skipped] == ["manifest.csv"]
    assert load.files == 2


def test_csv_merges_one_source_per_series(tmp_path: Path) -> None:
    """raw/ gives OHLC and a short Adj Close; adjusted/ a longer Adj Close, which wins."""
    write(tmp_path, "raw/IWC.csv", FULL + "2025-01-03,1,3,0.5,2,1.0,100,0\n")
    adjusted = "Date,Adj Close\n2025-01-02,1.8\n2025-01-03,1.9\n"
    write(tmp_path, "adjusted/IWC.csv", adjusted)
    load = read_prices_dir(tmp_path)
    assert load.sources["IWC", "adj_close"].parent.name == "adjusted"
    assert load.sources["IWC", "close"].parent.name == "raw"
    assert load.bars("IWC") == [
        PriceBar("IWC", D("2025-01-02"), adj_close=1.8),
        PriceBar("IWC", D("2025-01-03"), 1.0, 3.0, 0.5, 2.0, 1.9, 100, 0.0),
    ]


def test_csv_load_prices_dir_is_a_price_source(tmp_path: Path) -> None:
    write(tmp_path, "SPY.csv", "Date,Close\n2024-12-31,586.08\n2025-01-02,584.64\n")
    prices = load_prices_dir(tmp_path)
    assert prices.provider == f"csv:{tmp_path.name}"  # the folder, not the server's path
    assert prices.last_day("SPY") == D("2025-01-02")
    assert prices.bar_on_or_before("SPY", D("2025-01-01")) == PriceBar(
        "SPY", D("2024-12-31"), close=586.08
    )


def test_csv_missing_folder_or_no_files_raise(tmp_path: Path) -> None:
    with pytest.raises(PriceDataError) as missing:
        read_prices_dir(tmp_path / "nowhere")
    assert missing.value.code == "price_data"
    with pytest.raises(NoPriceFiles) as empty:
        read_prices_dir(tmp_path)
    assert empty.value.code == "no_price_files"
