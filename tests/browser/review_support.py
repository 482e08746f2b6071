"""Shared by the review tests: the app over a SQLite file with SPY's real prices, keys, a worker."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI
from spacy.language import Language
from sqlmodel import Session
from starlette.exceptions import StarletteDeprecationWarning

from api.app import create_app
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus.worker import WorkerOptions, run
from marketdata.providers.csv import load_prices_dir
from runtime.root import Root
from runtime.settings import Settings
from store import keys

with warnings.catch_warnings():  # Starlette 1.10 asks for httpx2; its TestClient still uses httpx
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["PUBLISHED", "WRONG", "Setup", "TestClient", "build"]
PUBLISHED = "2025-10-08"
# SPY closed at 586.08 on 2024-12-31 and 673.11 on 2025-10-08: up 14.85% for the year.
WRONG = "The SPDR S&P 500 ETF Trust (SPY) has gained 25% so far this year, traders said."


@dataclass(frozen=True)
class Setup:
    """An app, its keys (by role) and a worker run that drains the queue."""

    app: FastAPI
    keys: dict[str, str]
    process: Callable[[], None]


def build(tmp_path: Path, shared_dir: Path, nlp: Language, calendar: NyseCalendar) -> Setup:
    """create_app over tmp_path/newsclaims.db; SPY.csv copied from ../shared at run time."""
    prices_dir = tmp_path / "prices"
    prices_dir.mkdir()
    shutil.copy(shared_dir / "marketdata" / "raw" / "SPY.csv", prices_dir / "SPY.csv")
    prices = load_prices_dir(prices_dir)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'newsclaims.db'}",
        data_dir=tmp_path / "data",
        online_prices=False,
        session_secret="test-secret",
    )
    app = create_app(Root(settings, prices=prices))
    engine = app.state.services.engine
    names = {"reader": "Rhea Reader", "submitter": "wire", "reviewer": "Rita Reviewer"}
    with Session(engine) as session, session.begin():
        made = {
            role: keys.create_key(session, role=role, now=datetime.now(UTC), name=name)[0]
            for role, name in names.items()
        }

    def process() -> None:
        options = WorkerOptions(drain=True, poll_seconds=0.05)
        run(engine, nlp, options=options, checking=Checking(prices, calendar))

    return Setup(app, made, process)
