"""Helpers of the API tests: an app over SQLite in tmp_path, keys per role, seeded facts."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pg_support import fresh_postgres as pg_fresh_postgres
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.exceptions import StarletteDeprecationWarning

from api.app import create_app
from checker import Check, InMemoryPrices, PriceBar
from checker.evidence import Evidence
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim, Figure, Quote, Ticker
from runtime.root import Root
from runtime.settings import Settings
from store import db, keys, queries

with warnings.catch_warnings():  # Starlette 1.10 asks for httpx2; its TestClient still uses httpx
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

NOW = datetime(2025, 10, 9, 12, 0, tzinfo=UTC)
ROLES = ("reader", "submitter", "reviewer", "admin")
TEXT = (
    "SPY rose 10% this year. Apple (AAPL) gained 3% on Tuesday. "
    '"Markets are calm," said Jane Doe, strategist at Acme Bank.'
)
# SPY: 100 -> 105 over the period: a claimed 10% is contradicted (computed 5), 5% supported.
PRICES = InMemoryPrices(
    {
        "SPY": [
            PriceBar("SPY", date(2024, 12, 31), close=100.0, high=100.0, low=100.0),
            PriceBar("SPY", date(2025, 10, 8), close=105.0, high=105.0, low=105.0),
        ]
    }
)


@contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new PostgreSQL database for one API test, dropped afterwards."""
    with pg_fresh_postgres("newsclaims_api") as url:
        yield url


def make_client(
    tmp_path: Path, *, url: str | None = None, **settings: Any
) -> tuple[TestClient, Engine, dict[str, str]]:
    """A TestClient over a fresh SQLite store (or ``url``, at head), and a key of every role."""
    config = Settings(database_url=url or f"sqlite:///{tmp_path / 'api.db'}", **settings)
    engine = db.make_engine(config.database_url)
    if url is not None:
        db.upgrade(engine)
    app = create_app(Root(config, engine=engine, prices=PRICES))
    with Session(engine) as session, session.begin():
        issued = {role: keys.create_key(session, role=role, now=NOW)[0] for role in ROLES}
    return TestClient(app), engine, issued


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def claim(subject: str, value: float, *, offsets: tuple[int, int] = (9, 12)) -> Claim:
    return Claim(
        subject, "price_return", value, "percent", "historical", TEXT[:23], offsets,
        start=date(2024, 12, 31), end=date(2025, 10, 8),
    )  # fmt: skip


def seed(engine: Engine, *, text: str = TEXT, source: str = "wire") -> tuple[int, list[int]]:
    """One done article with tickers, a figure, a quote and three checked claims: SPY 10%
    contradicted (error 5, 2 tolerances), SPY 4.5% contradicted (error 0.5, but 10 tolerances:
    first in the queue), AAPL 3% supported."""
    extraction = Extraction(
        tickers=(Ticker("SPY", "SPDR S&P 500", ((0, 3),)), Ticker("AAPL", "Apple", ((31, 35),))),
        figures=(Figure("10%", 9, 12, 10.0, "percent"),),
        quotes=(Quote("Markets are calm,", 60, 77, "Jane Doe", "strategist", "Acme Bank", "said"),),
        claims=(claim("SPY", 10.0), claim("SPY", 4.5), claim("AAPL", 3.0, offsets=(45, 47))),
    )
    checks = [
        Check(
            "contradicted", computed=5.0, evidence=Evidence(symbol="SPY", decided=True, excess=2.0)
        ),
        Check(
            "contradicted", computed=5.0, evidence=Evidence(symbol="SPY", decided=True, excess=10.0)
        ),
        Check(
            "supported", computed=3.1, evidence=Evidence(symbol="AAPL", decided=True, excess=0.2)
        ),
    ]
    with Session(engine) as session, session.begin():
        article = ArticleIn(text, "Markets", date(2025, 10, 8), source, "https://example.com/a")
        queued = intake.enqueue(session, article, now=NOW, max_bytes=1_000_000)
        ids = queries.save_extraction(session, queued.article_id, extraction)
        queries.save_checks(session, list(zip(ids, checks, strict=True)), now=NOW)
    return queued.article_id, ids
