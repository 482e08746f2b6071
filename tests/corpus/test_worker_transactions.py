"""No network inside a transaction: prices are asked for while no write transaction is open.

The price source here records, each time it is asked, whether another connection holds a write
transaction on the store (SQLite: a second BEGIN IMMEDIATE cannot start; PostgreSQL: a session is
idle in a transaction). A read-through source would ask Yahoo at those moments.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language
from sqlalchemy import Engine
from sqlmodel import Session, select
from store_support import STORES, fill, store_engine, transaction_open

from checker import InMemoryPrices, PriceBar
from checker.calendar import NyseCalendar
from checker.checking import Checking
from checker.prices import PriceSource
from corpus import worker
from corpus.worker import WorkerOptions
from review.recheck import recheck
from store.clock import utc_now
from store.tables import CheckRow, ClaimRow

BARS = {"AAPL": [PriceBar("AAPL", date(2025, 10, d), close=100.0 + d) for d in range(1, 10)]}
DRAIN = WorkerOptions(batch_size=4, drain=True, poll_seconds=0.05, retry_seconds=0)


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with store_engine(request.param, tmp_path) as engine:
        yield engine


class RecordingPrices:
    """InMemoryPrices that note, on each request, whether a transaction was open."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.inner = engine, InMemoryPrices(BARS)
        self.asked: list[bool] = []

    @property
    def provider(self) -> str:
        return self.inner.provider

    def bars(self, symbol: str, start: date, end: date) -> list[PriceBar]:
        self.asked.append(transaction_open(self.engine))
        return self.inner.bars(symbol, start, end)

    def bar_on_or_before(self, symbol: str, day: date) -> PriceBar | None:
        self.asked.append(transaction_open(self.engine))
        return self.inner.bar_on_or_before(symbol, day)

    def last_day(self, symbol: str) -> date | None:
        self.asked.append(transaction_open(self.engine))
        return self.inner.last_day(symbol)


def test_worker_asks_for_prices_outside_its_transactions(
    engine: Engine, nlp: Language, calendar: NyseCalendar
) -> None:
    fill(engine, 6)
    prices = RecordingPrices(engine)
    source: PriceSource = prices
    tally = worker.run(engine, nlp, options=DRAIN, checking=Checking(source, calendar))
    assert tally.done == 6
    assert prices.asked  # the claims were checked
    assert not any(prices.asked)
    with Session(engine) as session:
        assert len(session.exec(select(CheckRow)).all()) == len(
            session.exec(select(ClaimRow)).all()
        )


def test_recheck_asks_for_prices_outside_its_transactions(
    engine: Engine, nlp: Language, calendar: NyseCalendar
) -> None:
    fill(engine, 6)
    worker.run(engine, nlp, options=DRAIN)  # claims stored unchecked
    prices = RecordingPrices(engine)
    report = recheck(engine, prices, calendar, now=utc_now(), chunk=2)
    assert report.examined > 2  # more than one chunk
    assert prices.asked
    assert not any(prices.asked)
    with Session(engine) as session:
        assert len(session.exec(select(CheckRow)).all()) == report.examined
