"""The yfinance provider and the read-through source, with a fake downloader: never the network."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest

from checker import InMemoryPrices, PriceBar, check_claim
from checker.calendar import NyseCalendar
from extractor.types import Claim
from marketdata.providers import yahoo
from marketdata.providers.yahoo import ReadThroughPrices, SymbolMissing, YahooPrices, frame_to_bars


def frame(rows: dict[str, tuple[float, ...]]) -> pd.DataFrame:
    """What Ticker.history(auto_adjust=False, actions=True) returns: one row per day."""
    columns = ["Open", "High", "Low", "Close", "Adj Close", "Volume", "Dividends", "Stock Splits"]
    index = pd.DatetimeIndex(list(rows)).tz_localize("America/New_York")
    return pd.DataFrame(list(rows.values()), index=index, columns=columns)


DAYS = {
    "2025-01-02": (10.0, 11.0, 9.0, 10.5, 10.0, 100.0, 0.0, 0.0),
    "2025-01-03": (10.5, 12.0, 10.0, 11.5, 11.2, 200.0, 0.25, 0.0),
    "2025-01-06": (float("nan"),) * 8,
}


class Fake:
    """A download function that records its calls and answers from a table of outcomes."""

    def __init__(self, outcome: Any = None) -> None:
        self.calls: list[tuple[str, date, date, float]] = []
        self.outcome = frame(DAYS) if outcome is None else outcome

    def __call__(self, symbol: str, start: date, end: date, timeout: float) -> Any:
        self.calls.append((symbol, start, end, timeout))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_frame_to_bars_keeps_close_adj_close_and_dividends() -> None:
    bars = frame_to_bars("IWC", frame(DAYS))
    assert bars == [
        PriceBar("IWC", date(2025, 1, 2), 10.0, 11.0, 9.0, 10.5, 10.0, 100, 0.0),
        PriceBar("IWC", date(2025, 1, 3), 10.5, 12.0, 10.0, 11.5, 11.2, 200, 0.25),
    ]


def test_yfinance_download_sets_auto_adjust_explicitly(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    class Ticker:
        def __init__(self, symbol: str) -> None:
            seen["symbol"] = symbol

        def history(self, **options: Any) -> pd.DataFrame:
            seen.update(options)
            return frame(DAYS)

    fake = type(sys)("yfinance")
    fake.Ticker = Ticker  # type: ignore[attr-defined]
    fake.config = type("C", (), {"debug": type("D", (), {})()})()  # type: ignore[attr-defined]
    errors = type(sys)("yfinance.exceptions")
    errors.YFTickerMissingError = LookupError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "yfinance", fake)
    monkeypatch.setitem(sys.modules, "yfinance.exceptions", errors)
    yahoo.yfinance_download("SPY", date(2025, 1, 2), date(2025, 1, 3), 5.0)
    assert seen["auto_adjust"] is False
    assert (seen["start"], seen["end"], seen["timeout"]) == ("2025-01-02", "2025-01-04", 5.0)
    assert seen["actions"] is True


def test_yahoo_prices_spaces_requests_by_the_rate_limit() -> None:
    clock = Clock()
    online = YahooPrices(download=Fake(), min_interval=2.0, clock=clock, sleep=clock.sleep)
    online.fetch("A", date(2025, 1, 2), date(2025, 1, 3))
    clock.now += 0.5
    online.fetch("B", date(2025, 1, 2), date(2025, 1, 3))
    assert clock.slept == [1.5]


@pytest.mark.parametrize(
    ("error", "expected", "available"),
    [
        (OSError("Could not resolve host"), None, False),
        (TimeoutError("timed out"), None, False),
        (SymbolMissing("$NOPE: possibly delisted"), [], True),
    ],
)
def test_yahoo_prices_fails_fast_and_remembers_outages(
    error: Exception, expected: list[PriceBar] | None, available: bool
) -> None:
    clock, fake = Clock(), Fake(error)
    online = YahooPrices(download=fake, retry_seconds=600, clock=clock, sleep=clock.sleep)
    assert online.fetch("SPY", date(2025, 1, 2), date(2025, 1, 3)) == expected
    assert online.fetch("QQQ", date(2025, 1, 2), date(2025, 1, 3)) == expected
    assert len(fake.calls) == (2 if available else 1)
    clock.now += 601
    online.fetch("QQQ", date(2025, 1, 2), date(2025, 1, 3))
    assert len(fake.calls) == (3 if available else 2)


def read_through(
    table: InMemoryPrices, fake: Fake, *, today: date = date(2025, 1, 8)
) -> tuple[ReadThroughPrices, Clock]:
    clock = Clock()
    online = YahooPrices(download=fake, min_interval=0, clock=clock, sleep=clock.sleep)
    return ReadThroughPrices(table, online, today=lambda: today, clock=clock), clock


def test_read_through_fetches_an_unknown_symbol_once() -> None:
    fake = Fake()
    prices, clock = read_through(InMemoryPrices(), fake)
    assert prices.last_day("IWC") == date(2025, 1, 3)
    assert fake.calls == [("IWC", yahoo.HISTORY_START, date(2025, 1, 7), 5.0)]
    assert prices.bar_on_or_before("IWC", date(2025, 1, 3)) == frame_to_bars("IWC", frame(DAYS))[1]
    assert prices.take_fetched() == {"IWC": frame_to_bars("IWC", frame(DAYS))}
    assert prices.take_fetched() == {}
    clock.now += 60
    prices.last_day("IWC")
    assert len(fake.calls) == 1  # asked again only after the refresh interval


def test_read_through_leaves_a_fresh_table_alone() -> None:
    fake = Fake()
    table = InMemoryPrices({"SPY": [PriceBar("SPY", date(2025, 1, 7), close=1.0)]})
    prices, _ = read_through(table, fake)
    assert prices.last_day("SPY") == date(2025, 1, 7)
    assert prices.bar_on_or_before("SPY", date(2025, 1, 7)) is not None
    assert fake.calls == []


def test_read_through_fetches_days_after_a_stale_table() -> None:
    fake = Fake()
    table = InMemoryPrices({"IWC": [PriceBar("IWC", date(2024, 12, 31), close=10.0)]})
    prices, _ = read_through(table, fake, today=date(2025, 1, 10))
    assert prices.last_day("IWC") == date(2025, 1, 3)
    assert fake.calls[0][1:3] == (date(2025, 1, 1), date(2025, 1, 9))
    assert [b.day for b in prices.bars("IWC", date.min, date.max)] == [
        date(2024, 12, 31), date(2025, 1, 2), date(2025, 1, 3),
    ]  # fmt: skip


def test_read_through_offline_leaves_the_claim_unverifiable(calendar: NyseCalendar) -> None:
    fake = Fake(OSError("network is unreachable"))
    prices, _ = read_through(InMemoryPrices(), fake)
    claim = Claim(
        "IWC", "price_return", 19.2, "percent", "historical", "IWC rose 19.2%", (0, 0),
        start=date(2024, 12, 31), end=date(2025, 1, 3),
    )  # fmt: skip
    checks = [check_claim(claim, prices, calendar) for _ in range(3)]
    assert {(c.verdict, c.reason) for c in checks} == {("unverifiable", "no_data")}
    assert len(fake.calls) == 1  # the first failure opened the circuit
    assert prices.take_fetched() == {}


def test_read_through_fetches_history_before_the_table(calendar: NyseCalendar) -> None:
    fake = Fake()
    table = InMemoryPrices({"IWC": [PriceBar("IWC", date(2025, 1, 7), close=12.0)]})
    prices, _ = read_through(table, fake)
    bar = prices.bar_on_or_before("IWC", date(2025, 1, 2))
    assert bar is not None
    assert bar.close == 10.5
    assert fake.calls[0][1:3] == (date(2025, 1, 2) - timedelta(days=4), date(2025, 1, 6))
