"""Yahoo Finance through yfinance: ``YahooPrices`` fetches bars, ``ReadThroughPrices`` caches them.

``YahooPrices.fetch`` asks for daily bars with ``auto_adjust=False`` set explicitly (yfinance's
default changed to True in 0.2.51, which rewrites Close as an adjusted close and drops Adj Close)
and keeps Close, Adj Close and Dividends with Open, High, Low and Volume. Requests are spaced by a
rate limit. A network failure opens a circuit: for a while every fetch returns None at once, so a
machine without a network checks claims at full speed and they stay unverifiable (``no_data``).
The download function is injected, so tests never touch the network.

``ReadThroughPrices`` answers from a price table and, when the table lacks a symbol, lacks the
days asked for or has gone stale, fetches what is missing once (per refresh interval), serves it
from memory at once and hands it to whoever persists it (``take_fetched``; marketdata/table.py
writes it into the prices table).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from checker.prices import InMemoryPrices, PriceBar, PriceSource

log = logging.getLogger(__name__)

PROVIDER = "yfinance"
# yfinance's names -> PriceBar fields ("Stock Splits" and "Capital Gains" are not kept).
COLUMNS = {
    "Open": "open",
    "High": "high",
    "Low": "low",
    "Close": "close",
    "Adj Close": "adj_close",
    "Volume": "volume",
    "Dividends": "dividend",
}
# Where a symbol's history starts when the table has none of it: older than any article we check.
HISTORY_START = date(2000, 1, 1)
# A table whose last day is more than this many calendar days before today is refreshed: a
# weekend plus a holiday (Friday's bar, next Tuesday) is 4 days without a new session.
STALE_DAYS = 4

# (symbol, first day, last day inclusive, timeout seconds) -> a yfinance-shaped DataFrame.
Download = Callable[[str, date, date, float], Any]


class SymbolMissing(Exception):
    """The provider answered, but has no data for the symbol (unknown or delisted)."""


def yfinance_download(symbol: str, start: date, end: date, timeout: float) -> Any:
    """One symbol's daily bars from Yahoo, unadjusted; raises SymbolMissing or a network error."""
    import yfinance as yf  # type: ignore[import-untyped]  # imported on first use: it is slow
    from yfinance.exceptions import YFTickerMissingError  # type: ignore[import-untyped]

    yf.config.debug.hide_exceptions = False  # raise instead of logging and returning nothing
    try:
        return yf.Ticker(symbol).history(
            start=start.isoformat(),
            end=(end + timedelta(days=1)).isoformat(),  # yfinance's end is exclusive
            interval="1d",
            auto_adjust=False,
            actions=True,
            timeout=timeout,
        )
    except YFTickerMissingError as err:
        raise SymbolMissing(str(err)) from err


def frame_to_bars(symbol: str, frame: Any) -> list[PriceBar]:
    """A yfinance history DataFrame -> bars; rows without any close are dropped."""
    names = {column: COLUMNS[column] for column in frame.columns if column in COLUMNS}
    bars = []
    for stamp, row in frame.iterrows():
        values = {field: _number(row[column]) for column, field in names.items()}
        if values.get("close") is None and values.get("adj_close") is None:
            continue
        volume = values.pop("volume", None)
        day = _day(stamp)
        bars.append(PriceBar(symbol, day, volume=None if volume is None else int(volume), **values))
    return bars


def _day(stamp: Any) -> date:
    """The trading day of an index entry (a pandas Timestamp in the exchange's time zone)."""
    if isinstance(stamp, datetime):
        return stamp.date()
    return stamp if isinstance(stamp, date) else date.fromisoformat(str(stamp)[:10])


def _number(value: Any) -> float | None:
    x = float(value)
    return None if math.isnan(x) else x


class YahooPrices:
    """Fetches daily bars from Yahoo with a rate limit and a circuit breaker for outages."""

    def __init__(
        self,
        *,
        download: Download = yfinance_download,
        min_interval: float = 1.0,
        timeout: float = 5.0,
        retry_seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._download = download
        self._min_interval, self._timeout, self._retry = min_interval, timeout, retry_seconds
        self._clock, self._sleep = clock, sleep
        self._last_request: float | None = None
        self._down_until: float | None = None
        self.requests = 0

    @property
    def provider(self) -> str:
        return PROVIDER

    @property
    def available(self) -> bool:
        """False while the circuit is open after a network failure."""
        return self._down_until is None or self._clock() >= self._down_until

    def fetch(self, symbol: str, start: date, end: date) -> list[PriceBar] | None:
        """Bars with start <= day <= end; [] when Yahoo has none, None when it cannot be asked."""
        if not self.available:
            return None
        self._wait_turn()
        self.requests += 1
        try:
            frame = self._download(symbol, start, end, self._timeout)
        except SymbolMissing:
            return []
        except Exception as err:  # yfinance's HTTP stack raises many types; all mean "not now"
            self._down_until = self._clock() + self._retry
            log.warning("yfinance unavailable (%r); not asked again for %.0f s", err, self._retry)
            return None
        return [b for b in frame_to_bars(symbol, frame) if start <= b.day <= end]

    def _wait_turn(self) -> None:
        now = self._clock()
        if self._last_request is not None:
            wait = self._last_request + self._min_interval - now
            if wait > 0:
                self._sleep(wait)
                now += wait
        self._last_request = now


class ReadThroughPrices:
    """The table first; what it lacks is fetched online, served from memory and kept to be saved."""

    def __init__(
        self,
        table: PriceSource,
        online: YahooPrices,
        *,
        refresh_seconds: float = 3600.0,
        today: Callable[[], date] = date.today,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._table, self._online = table, online
        self._refresh, self._today, self._clock = refresh_seconds, today, clock
        # (symbol, "recent" | "before") -> when that end of its history was last asked for
        self._tried: dict[tuple[str, str], float] = {}
        self._first: dict[str, date] = {}
        self._fetched: dict[str, InMemoryPrices] = {}  # symbol -> table rows + fetched rows
        self._unsaved: dict[str, list[PriceBar]] = {}

    @property
    def provider(self) -> str:
        return f"{self._table.provider}+{PROVIDER}"

    def bars(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        return self._source(symbol, start, end).bars(symbol, start, end)

    def bar_on_or_before(self, symbol: str, day: date) -> PriceBar | None:
        return self._source(symbol, day, day).bar_on_or_before(symbol, day)

    def last_day(self, symbol: str) -> date | None:
        return self._source(symbol, None, None).last_day(symbol)

    def take_fetched(self) -> dict[str, list[PriceBar]]:
        """Bars fetched since the last call, by symbol, to be written into the table."""
        out, self._unsaved = self._unsaved, {}
        return out

    def _source(self, symbol: str, start: date | None, end: date | None) -> PriceSource:
        source: PriceSource = self._fetched.get(symbol) or self._table
        if not self._online.available:
            return source
        wanted = self._missing(source, symbol, start, end)
        if wanted is None:
            return source
        what, first, last = wanted
        now = self._clock()
        tried = self._tried.get((symbol, what))
        if tried is not None and now - tried < self._refresh:
            return source
        self._tried[symbol, what] = now
        fetched = self._online.fetch(symbol, first, last)
        if not fetched:
            return source
        known = source.bars(symbol, date.min, date.max)
        self._fetched[symbol] = InMemoryPrices({symbol: known + fetched}, provider=self.provider)
        self._first.pop(symbol, None)
        self._unsaved.setdefault(symbol, []).extend(fetched)
        return self._fetched[symbol]

    def _missing(
        self, source: PriceSource, symbol: str, start: date | None, end: date | None
    ) -> tuple[str, date, date] | None:
        """What to fetch: all history when unknown, else what lies before or after the data."""
        last_complete = self._today() - timedelta(days=1)  # today's bar is still moving
        last = source.last_day(symbol)
        if last is None:
            return "recent", HISTORY_START, last_complete  # all of it
        first = self._first.get(symbol)
        if first is None:
            first = self._first[symbol] = source.bars(symbol, date.min, date.max)[0].day
        if start is not None and max(start, HISTORY_START) < first:
            since = max(start, HISTORY_START + timedelta(days=STALE_DAYS))
            return "before", since - timedelta(days=STALE_DAYS), first - timedelta(days=1)
        stale = last < last_complete - timedelta(days=STALE_DAYS - 1)
        if stale and (end is None or end > last):
            return "recent", last + timedelta(days=1), last_complete
        return None
