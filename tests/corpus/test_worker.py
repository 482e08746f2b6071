"""The worker on SQLite: facts and checks stored once, failures retried and isolated, signals."""

from __future__ import annotations

import functools
import signal
import time
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from sqlalchemy import Engine
from sqlmodel import Session, select
from store_support import (
    counts,
    expected_counts,
    fill,
    start_worker,
    upgraded,
    wait_until,
    worker_env,
)
from worker_support import CRASH, POISON, RAISE, poisoned_extractor

from checker import InMemoryPrices, PriceBar
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus import instruments, intake, worker
from corpus.pool import ExtractorPool
from corpus.sources import ArticleIn
from corpus.worker import WorkerOptions
from extractor import Extraction
from runtime.settings import Settings
from store.clock import utc_now
from store.tables import Article, CheckRow

DRAIN = WorkerOptions(batch_size=4, drain=True, poll_seconds=0.05, retry_seconds=0)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    return upgraded(f"sqlite:///{tmp_path / 'w.db'}")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instrument data dir whose lexicon cache is warm, for worker processes."""
    path = tmp_path_factory.mktemp("worker-data")
    instruments.load_lexicon(path)
    return path


def test_worker_stores_each_article_once(engine: Engine, nlp: Language) -> None:
    fill(engine, 10)
    tally = worker.run(engine, nlp, options=DRAIN)
    assert tally.done == 10
    result = counts(engine)
    assert result["articles"] == {
        "fetching": 0,
        "queued": 0,
        "processing": 0,
        "done": 10,
        "failed": 0,
    }
    assert {k: result[k] for k in ("tickers", "figures", "quotes", "claims")} == expected_counts(
        nlp, 10
    )
    assert worker.run(engine, nlp, options=DRAIN).done == 0  # nothing is processed twice


def test_worker_checks_claims_against_prices(engine: Engine, nlp: Language) -> None:
    fill(engine, 4)
    bars = [PriceBar("AAPL", date(2025, 10, d), close=100.0 + d) for d in range(1, 10)]
    checking = Checking(InMemoryPrices({"AAPL": bars}), NyseCalendar())
    worker.run(engine, nlp, options=DRAIN, checking=checking)
    result = counts(engine)
    assert result["checks"] == result["claims"]
    with Session(engine) as session:
        verdicts = session.exec(select(CheckRow.verdict)).all()
    assert "unverifiable" in verdicts


def test_worker_retries_then_fails_a_bad_article_alone(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_batch(items: object, **_: object) -> list[Extraction]:
        raise RuntimeError("batch")

    def one(text: str, **_: object) -> Extraction:
        if "Apple" in text:
            raise ValueError("poison")
        return Extraction()

    monkeypatch.setattr(worker, "extract_many", broken_batch)
    monkeypatch.setattr(worker, "extract", one)
    fill(engine, 8)  # synthetic 0 is about Apple, 1..7 are not
    tally = worker.run(engine, spacy.blank("en"), options=DRAIN)
    assert (tally.done, tally.retried, tally.failed) == (7, 2, 1)
    with Session(engine) as session:
        bad = session.exec(select(Article).where(Article.status == "failed")).one()
    assert bad.attempts == 3
    assert "poison" in (bad.error or "")


@pytest.mark.slow
def test_worker_sigterm_finishes_the_batch_in_hand(
    tmp_path: Path, engine: Engine, data_dir: Path
) -> None:
    fill(engine, 200)
    env = worker_env(str(engine.url), data_dir, batch_size=8, poll_seconds=0.2)
    process = start_worker(env, log=tmp_path / "worker.log")
    wait_until(engine, done_at_least=1, timeout=120)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, (tmp_path / "worker.log").read_text()
    articles = counts(engine)["articles"]
    assert isinstance(articles, dict)
    assert articles["processing"] == 0  # the batch in hand was finished, not abandoned
    assert articles["done"] % 8 == 0
    assert articles["queued"] == 200 - articles["done"]


@pytest.mark.slow
def test_worker_concurrency_drains_sqlite(tmp_path: Path, engine: Engine, data_dir: Path) -> None:
    fill(engine, 60)
    env = worker_env(str(engine.url), data_dir, batch_size=4, poll_seconds=0.2)
    process = start_worker(env, "--concurrency", "2", "--drain", log=tmp_path / "worker.log")
    assert process.wait(timeout=240) == 0, (tmp_path / "worker.log").read_text()
    with Session(engine) as session:
        attempts = session.exec(select(Article.attempts)).all()
    assert attempts == [1] * 60  # each article leased once: no two workers shared one


def pool_settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, article_timeout_seconds=3.0, extract_processes=2)


def test_worker_pool_times_out_a_poison_article_and_finishes_its_batch(
    engine: Engine, data_dir: Path
) -> None:
    fill(engine, 15)
    with Session(engine) as session, session.begin():
        poison = ArticleIn(text=f"Gold rose 1% on Tuesday. {POISON}", title="poison")
        poison_id = intake.enqueue(session, poison, now=utc_now(), max_bytes=10_000).article_id
    options = WorkerOptions(batch_size=16, drain=True, poll_seconds=0.05)
    builder = functools.partial(poisoned_extractor, pool_settings(data_dir))
    started = time.monotonic()
    with ExtractorPool(builder, size=2, timeout=3.0) as pool:
        tally = worker.run(engine, None, options=options, pool=pool)
    elapsed = time.monotonic() - started
    assert (tally.done, tally.failed, tally.batches) == (15, 1, 1)
    with Session(engine) as session:
        rows = {a.id: a for a in session.exec(select(Article)).all()}
    bad = rows.pop(poison_id)
    assert (bad.status, bad.attempts) == ("failed", 1)
    assert (bad.error or "").startswith("timeout")
    assert {a.status for a in rows.values()} == {"done"}
    assert {a.attempts for a in rows.values()} == {1}
    assert elapsed < 120  # the poison cost its budget, not the hour it asked for


def test_worker_pool_retries_an_article_whose_process_dies_then_fails_it(
    engine: Engine, data_dir: Path
) -> None:
    fill(engine, 3)
    with Session(engine) as session, session.begin():
        bad = {
            marker: intake.enqueue(
                session, ArticleIn(text=f"Gold rose 1% on Tuesday. {marker}", title=marker),
                now=utc_now(), max_bytes=10_000,
            ).article_id
            for marker in (CRASH, RAISE)
        }  # fmt: skip
    options = WorkerOptions(batch_size=8, drain=True, poll_seconds=0.05, retry_seconds=0,
                            max_attempts=2)  # fmt: skip
    builder = functools.partial(poisoned_extractor, pool_settings(data_dir))
    with ExtractorPool(builder, size=2, timeout=30.0) as pool:
        tally = worker.run(engine, None, options=options, pool=pool)
    assert (tally.done, tally.retried, tally.failed) == (3, 2, 2)
    with Session(engine) as session:
        rows = {a.id: a for a in session.exec(select(Article)).all()}
    assert [(rows[bad[m]].status, rows[bad[m]].attempts) for m in (CRASH, RAISE)] == [
        ("failed", 2),
        ("failed", 2),
    ]
    assert (rows[bad[CRASH]].error or "").startswith("crashed: the extraction process died")
    assert (rows[bad[RAISE]].error or "").startswith("extractor: ValueError")
