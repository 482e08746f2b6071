"""Reviewed articles exported as gold: corrected readings applied, dismissed ones left out, and the
shared scorer reads the files."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from checker import InMemoryPrices, PriceBar, check_claim
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim, Figure, Ticker
from review.decisions import Decision, decide
from review.gold import export_gold
from store import db, queries
from store.clock import utc_now

# SPY's real closes: 2025 began with a 0.25 % fall.
BARS = [
    PriceBar("SPY", date(2024, 12, 31), close=586.08),
    PriceBar("SPY", date(2025, 1, 2), close=584.64),
]
TEXT = "The SPDR S&P 500 ETF (SPY) rose 2% on Jan. 2 and 3% in the week, traders said."


def claim(value: float, offsets: tuple[int, int]) -> Claim:
    return Claim(
        "SPY", "price_return", value, "percent", "historical", f"rose {value}%", offsets,
        start=date(2024, 12, 31), end=date(2025, 1, 2),
    )  # fmt: skip


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'gold.db'}")
    db.upgrade(engine)
    return engine


def test_gold_export_applies_reviews_and_scores(
    engine: Engine, calendar: NyseCalendar, tmp_path: Path, shared_dir: Path
) -> None:
    checking = Checking(InMemoryPrices({"SPY": BARS}), calendar)
    claims = (claim(2.0, (32, 34)), claim(3.0, (46, 48)))
    figures = (Figure("2%", 32, 34, 2.0, "percent"), Figure("3%", 46, 48, 3.0, "percent"))
    extraction = Extraction(tickers=(Ticker("SPY", "SPDR S&P 500 ETF", ((4, 30),)),),
                            figures=figures, claims=claims)  # fmt: skip
    with Session(engine) as session, session.begin():
        article = ArticleIn(text=TEXT, title="SPY", published=date(2025, 1, 2), source="Wire")
        queued = intake.enqueue(session, article, now=utc_now(), max_bytes=10**6)
        ids = queries.save_extraction(session, queued.article_id, extraction)
        checks = [
            (i, check_claim(c, checking.prices, checking.calendar))
            for i, c in zip(ids, claims, strict=True)
        ]
        queries.save_checks(session, checks, now=utc_now())
        when = {"now": utc_now(), "checking": checking}
        corrected = Decision("correct", "r", reason="other", correction={"value": -0.25})
        decide(session, ids[0], corrected, **when)
        decide(session, ids[1], Decision("dismiss", "r", reason="wrong_period"), **when)
    with Session(engine) as session:
        [gold_path] = export_gold(session, tmp_path / "gold")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert gold["tickers"] == ["SPY"]
    assert [(c["value"], c["verdict"]) for c in gold["claims"]] == [(-0.25, "supported")]
    assert [f["value"] for f in gold["figures"]] == [2.0, 3.0]
    # The shared scorer reads the folder: the gold as its own prediction scores 1.0.
    pred = tmp_path / "pred"
    pred.mkdir()
    as_prediction = gold | {"tickers": [{"symbol": s} for s in gold["tickers"]]}
    (pred / gold_path.name.replace(".gold", "")).write_text(json.dumps(as_prediction))
    scorer = shared_dir / "eval" / "score.py"
    command = [sys.executable, str(scorer), "--corpus", str(tmp_path / "gold"), "--pred", str(pred)]
    done = subprocess.run([*command, "--json"], capture_output=True, text=True, check=False)
    numbers = json.loads(done.stdout)
    assert (numbers["claims_f1"], numbers["tickers_f1"], numbers["failures"]) == (1.0, 1.0, 0)
