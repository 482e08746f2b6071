"""Many workers and killed workers on a real database: every article processed exactly once.

PostgreSQL runs when NEWSCLAIMS_TEST_POSTGRES_URL is set (.ci/postgres.sh prints one); with CI=true
and no URL these tests fail instead of skipping. The worker processes run the real extractor.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from spacy.language import Language
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select
from store_support import (
    counts,
    database,
    expected_counts,
    fill,
    start_worker,
    upgraded,
    wait_until,
    worker_env,
)

from corpus import instruments
from store.tables import Article

KINDS = [pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"]
FACTS = ("tickers", "figures", "quotes", "claims")
# (table, the columns a duplicate would repeat)
NATURAL_KEYS = [
    ("ticker_mentions", "article_id, symbol"),
    ("figures", 'article_id, start, "end"'),
    ("quotes", 'article_id, start, "end"'),
    ("claims", "article_id, offset_start, offset_end, subject, metric"),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instrument data dir whose lexicon cache is warm, shared by the worker processes."""
    path = tmp_path_factory.mktemp("pg-data")
    instruments.load_lexicon(path)
    return path


def duplicates(engine: Engine) -> list[str]:
    """Fact rows stored twice for the same article and place."""
    found = []
    with Session(engine) as session:
        for table, key in NATURAL_KEYS:
            sql = f"SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1"
            found += [f"{table}: {row}" for row in session.execute(text(sql))]
    return found


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_four_workers_process_each_article_once(
    tmp_path: Path, nlp: Language, data_dir: Path
) -> None:
    n = 2000  # 4 workers x 500 articles
    with database("postgres", tmp_path) as url:
        engine = upgraded(url)
        fill(engine, n)
        env = worker_env(url, data_dir, batch_size=16, poll_seconds=0.2)
        logs = [tmp_path / f"worker{i}.log" for i in range(4)]
        workers = [start_worker(env, "--drain", log=log) for log in logs]
        codes = [w.wait(timeout=600) for w in workers]
        assert codes == [0] * 4, [log.read_text()[-2000:] for log in logs]
        result = counts(engine)
        assert result["articles"] == {
            "fetching": 0,
            "queued": 0,
            "processing": 0,
            "done": n,
            "failed": 0,
        }
        with Session(engine) as session:
            attempts = session.exec(
                select(Article.attempts, func.count()).group_by(Article.attempts)
            ).all()
        assert attempts == [(1, n)]  # every article leased exactly once
        assert {k: result[k] for k in FACTS} == expected_counts(nlp, n)
        assert duplicates(engine) == []
        shares = [log.read_text().count(" done,") for log in logs]
        assert shares == [1] * 4  # each worker printed its summary
        engine.dispose()


# Worker starts before a kill lands while it holds a batch (one nearly always does).
KILL_TRIES = 4


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_postgres_sigkilled_worker_loses_nothing(
    kind: str, tmp_path: Path, nlp: Language, data_dir: Path
) -> None:
    n = 240
    with database(kind, tmp_path) as url:
        engine = upgraded(url)
        fill(engine, n)
        env = worker_env(url, data_dir, batch_size=8, lease_seconds=3, poll_seconds=0.2)
        log = tmp_path / "worker.log"
        mid: dict[str, int] = {"done": 0, "processing": 0}
        for _ in range(KILL_TRIES):  # a kill that lands between two batches tests nothing: again
            victim = start_worker(env, log=log)
            wait_until(engine, done_at_least=mid["done"] + 20, timeout=180, holding=True)
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
            found = counts(engine)["articles"]
            assert isinstance(found, dict)
            mid = found
            with Session(engine) as session:  # begun when killed: charged an attempt each
                begun = session.exec(
                    select(func.count()).where(
                        Article.status == "processing", Article.attempts == 1
                    )
                ).one()
            if mid["processing"] > 0:
                break
        assert mid["done"] < n
        assert mid["processing"] > 0  # killed holding a batch
        assert start_worker(env, "--drain", log=log).wait(timeout=300) == 0, log.read_text()[-3000:]
        result = counts(engine)
        assert result["articles"] == {
            "fetching": 0,
            "queued": 0,
            "processing": 0,
            "done": n,
            "failed": 0,
        }
        assert {k: result[k] for k in FACTS} == expected_counts(nlp, n)  # as a clean run
        assert duplicates(engine) == []
        with Session(engine) as session:  # the killed batch, taken over once its lease expired
            retaken = session.exec(select(func.count()).where(Article.attempts == 2)).one()
        assert retaken == begun  # attempts count per article: batch-mates not begun are not charged
        engine.dispose()
