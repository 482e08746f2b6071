"""The price table: CSV import (merge, conflicts, bad rows, idempotence) and DbPrices lookups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session
from store_support import database, upgraded

from checker import InMemoryPrices, PriceBar, check_claim
from checker.calendar import NyseCalendar
from extractor.types import Claim
from marketdata.price_import import import_prices
from marketdata.providers.yahoo import ReadThroughPrices, YahooPrices
from marketdata.table import TABLE, DbPrices, save_fetched
from store.tables import PriceRow

RAW = "Date,Open,High,Low,Close,Volume\n" + "\n".join(
    [
        "2024-12-30,580,590,575,588.22,1000",
        "2024-12-31,588,590,584,586.08,2000",
        "2025-01-02,587,592,580,584.64,3000",
    ]
)
ADJUSTED_LONG = "Date,Adj Close\n2024-12-27,580.0\n2024-12-30,582.0\n2024-12-31,576.22\n"
ADJUSTED_SHORT = "Date,Adj Close\n2024-12-31,999.0\n"
BAD = "Date,Close\n2025-01-02,10\nnot a date,11\n2025-01-03,oops\n2025-01-06,12\n"

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(params=KINDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with database(request.param, tmp_path) as url:
        engine = upgraded(url)
        yield engine
        engine.dispose()


@pytest.fixture
def market(tmp_path: Path) -> Path:
    return write(
        tmp_path / "market",
        {
            "raw/SPY.csv": RAW,
            "adjusted/SPY.csv": ADJUSTED_LONG,
            "other/SPY.csv": ADJUSTED_SHORT,
            "bad/XYZ.csv": BAD,
            "notes/readme.csv": "name,value\na,1\n",
        },
    )


def table_rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(TABLE).order_by("symbol", "day"))]


def test_import_prices_merges_columns_and_reports_conflicts(engine: Engine, market: Path) -> None:
    report = import_prices(engine, [market])
    assert (report.rows, report.symbols, report.files) == (6, 2, 4)
    assert report.skipped == (str(market / "notes/readme.csv"),)
    [conflict] = report.conflicts
    assert (conflict.symbol, conflict.column, conflict.kept_days) == ("SPY", "adj_close", 3)
    assert conflict.kept.endswith("adjusted/SPY.csv")
    assert conflict.dropped == ((str(market / "other/SPY.csv"), 1),)
    bar = DbPrices(engine).bar_on_or_before("SPY", date(2024, 12, 31))
    assert bar == PriceBar("SPY", date(2024, 12, 31), 588, 590, 584, 586.08, 576.22, 2000)


def test_import_prices_counts_bad_rows(engine: Engine, market: Path) -> None:
    report = import_prices(engine, [market / "bad"])
    assert report.bad_rows == ((str(market / "bad/XYZ.csv"), 2),)
    assert [b.close for b in DbPrices(engine).bars("XYZ", date.min, date.max)] == [10, 12]


def test_import_prices_reimport_is_idempotent(engine: Engine, market: Path) -> None:
    import_prices(engine, [market])
    first = table_rows(engine)
    import_prices(engine, [market])
    assert table_rows(engine) == first
    assert len(first) == 6


def test_import_prices_joins_the_sessions_transaction(engine: Engine, market: Path) -> None:
    with Session(engine) as session:
        with session.begin():
            import_prices(session, [market / "raw"])
            session.rollback()
    assert table_rows(engine) == []


def test_db_prices_answers_as_memory_does(engine: Engine, market: Path) -> None:
    import_prices(engine, [market / "raw"])
    table = DbPrices(engine)
    memory = InMemoryPrices({"SPY": table.bars("SPY", date.min, date.max)})
    for day in (date(2024, 12, 29), date(2024, 12, 31), date(2025, 1, 5)):
        assert table.bar_on_or_before("SPY", day) == memory.bar_on_or_before("SPY", day)
    assert table.last_day("SPY") == date(2025, 1, 2)
    assert table.first_day("SPY") == date(2024, 12, 30)
    assert table.last_day("NOPE") is None
    assert table.bars("NOPE", date.min, date.max) == []


def test_db_prices_reads_while_a_write_transaction_is_open(engine: Engine, market: Path) -> None:
    """The worker checks claims inside its own write transaction: lookups must not wait on it."""
    import_prices(engine, [market / "raw"])
    table = DbPrices(engine)
    with Session(engine) as session, session.begin():
        session.add(PriceRow(symbol="QQQ", day=date(2025, 1, 2), close=1.0, source="test"))
        session.flush()
        assert table.last_day("SPY") == date(2025, 1, 2)


def test_db_prices_store_upserts_and_forgets_the_cache(engine: Engine, market: Path) -> None:
    import_prices(engine, [market / "raw"])
    table = DbPrices(engine)
    assert table.last_day("SPY") == date(2025, 1, 2)
    new = [
        PriceBar("SPY", date(2025, 1, 2), close=600.0),
        PriceBar("SPY", date(2025, 1, 3), close=601.0),
    ]
    assert table.store(new, source="test") == 2
    assert table.last_day("SPY") == date(2025, 1, 3)
    assert table.bar_on_or_before("SPY", date(2025, 1, 2)) == new[0]


def test_db_prices_checks_a_claim(engine: Engine, market: Path, calendar: NyseCalendar) -> None:
    import_prices(engine, [market / "raw"])
    claim = Claim(
        "SPY", "price_return", -0.25, "percent", "historical", "SPY slipped 0.25%", (0, 0),
        start=date(2024, 12, 31), end=date(2025, 1, 2),
    )  # fmt: skip
    check = check_claim(claim, DbPrices(engine), calendar)
    assert (check.verdict, check.evidence.provider) == ("supported", "prices")


def test_save_fetched_writes_what_the_read_through_fetched(engine: Engine) -> None:
    def download(symbol: str, start: date, end: date, timeout: float) -> object:
        import pandas as pd

        index = pd.DatetimeIndex(["2025-01-02", "2025-01-03"]).tz_localize("America/New_York")
        return pd.DataFrame({"Close": [1.0, 2.0], "Adj Close": [0.9, 1.9]}, index=index)

    online = YahooPrices(download=download, min_interval=0)
    prices = ReadThroughPrices(DbPrices(engine), online, today=lambda: date(2025, 1, 6))
    assert prices.last_day("NEW") == date(2025, 1, 3)
    with Session(engine) as session, session.begin():
        assert save_fetched(prices, session) == 2
    with engine.connect() as connection:
        sources = connection.execute(select(TABLE.c.source, func.count()).group_by("source"))
        assert list(sources) == [("yfinance", 2)]
    assert DbPrices(engine).bar_on_or_before("NEW", date(2025, 1, 3)) == PriceBar(
        "NEW", date(2025, 1, 3), close=2.0, adj_close=1.9
    )


def test_prices_import_command_prints_rows_conflicts_and_bad_rows(
    market: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("NEWSCLAIMS_ONLINE_PRICES", "false")
    result = CliRunner().invoke(app, ["prices", "import", str(market)])
    assert result.exit_code == 0, result.output
    assert "imported 6 rows of 2 symbols from 4 files" in result.output
    assert "rows/s" in result.output
    assert "conflict SPY adj_close: kept" in result.output
    assert "bad rows: " in result.output
    assert "re-checked 0 undecided claims" in result.output
    result = CliRunner().invoke(app, ["recheck"])
    assert result.exit_code == 0, result.output
    missing = CliRunner().invoke(app, ["prices", "import", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1
