"""An import replaces only the (symbol, day)s it has; bad values are refused row by row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from store_support import database, upgraded

from marketdata.price_import import import_prices
from marketdata.table import DbPrices

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
YEAR = [date(2024, 1, 1) + timedelta(days=i) for i in range(366)]


@pytest.fixture(params=KINDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with database(request.param, tmp_path) as url:
        engine = upgraded(url)
        yield engine
        engine.dispose()


def csv_file(folder: Path, symbol: str, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{symbol}.csv"
    path.write_text("Date,Close,Volume\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def closes(engine: Engine, symbol: str) -> dict[date, float | None]:
    return {b.day: b.close for b in DbPrices(engine).bars(symbol, date.min, date.max)}


def test_import_prices_two_rows_leave_the_year_between_them(engine: Engine, tmp_path: Path) -> None:
    import_prices(engine, [csv_file(tmp_path / "year", "SPY", [f"{d},100,1" for d in YEAR])])
    two = ["2024-01-01,1,1", "2024-12-31,2,1"]
    report = import_prices(engine, [csv_file(tmp_path / "two", "SPY", two)])
    assert report.rows == 2
    stored = closes(engine, "SPY")
    assert len(stored) == 366
    assert (stored[YEAR[0]], stored[YEAR[1]], stored[date(2024, 12, 31)]) == (1, 100, 2)


def test_import_prices_reimport_of_a_span_still_replaces_it(engine: Engine, tmp_path: Path) -> None:
    import_prices(engine, [csv_file(tmp_path / "a", "SPY", [f"{d},100,1" for d in YEAR])])
    import_prices(engine, [csv_file(tmp_path / "b", "SPY", [f"{d},7,1" for d in YEAR[:10]])])
    stored = closes(engine, "SPY")
    assert len(stored) == 366
    assert [stored[d] for d in YEAR[9:11]] == [7, 100]


# (cell, symbol, refused): a Close value and whether its row is refused
VALUES = [
    ("12.5", "SPY", False),
    ("inf", "SPY", True),
    ("-Infinity", "SPY", True),
    ("1e999", "SPY", True),
    ("-nan", "SPY", True),
    ("-3", "SPY", True),
    ("-0.03", "^IRX", False),  # a yield below zero (2020)
    ("-37.63", "CL=F", False),  # WTI futures on 2020-04-20
]


@pytest.mark.parametrize(("cell", "symbol", "refused"), VALUES)
def test_import_prices_refuses_bad_values_row_by_row(
    engine: Engine, tmp_path: Path, cell: str, symbol: str, refused: bool
) -> None:
    rows = ["2025-01-02,10,1", f"2025-01-03,{cell},1", "2025-01-06,11,1"]
    report = import_prices(engine, [path := csv_file(tmp_path, symbol, rows)])
    assert report.bad_rows == (((str(path), 1),) if refused else ())
    assert report.rows == (2 if refused else 3)
    assert (date(2025, 1, 3) in closes(engine, symbol)) is not refused


def test_import_prices_refuses_a_negative_volume(engine: Engine, tmp_path: Path) -> None:
    rows = ["2025-01-02,10,1", "2025-01-03,10,-5"]
    report = import_prices(engine, [csv_file(tmp_path, "^GSPC", rows)])
    assert (report.rows, sum(n for _, n in report.bad_rows)) == (1, 1)
