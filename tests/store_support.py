"""Helpers of the store and worker tests: synthetic articles, databases, worker processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pg_support import fresh_postgres
from spacy.language import Language
from sqlalchemy import Engine, text
from sqlmodel import Session

from corpus import intake
from corpus.sources import ArticleIn
from extractor import extract_many
from store import db, queries, queue
from store.clock import utc_now
from store.hosts import FetchHost

REPO = Path(__file__).resolve().parents[1]
# Read before the autouse fixture clears NEWSCLAIMS_*; CI=true forbids skipping PostgreSQL tests.

COMPANIES = [
    ("Apple", "AAPL"),
    ("Microsoft", "MSFT"),
    ("Nvidia", "NVDA"),
    ("Amazon", "AMZN"),
    ("Tesla", "TSLA"),
    ("Netflix", "NFLX"),
    ("Intel", "INTC"),
    ("Oracle", "ORCL"),
]
PEOPLE = ["Jane Carter", "Omar Haddad", "Maria Lopez", "Tom Becker", "Ana Silva"]
SYLLABLES = ["ba", "ke", "mi", "to", "zu", "ra", "ne", "fo", "li", "du"]
BASES = 40  # distinct extractions; articles repeat them with a different closing line


def base_text(i: int) -> str:
    """One of BASES short market stories (about 70 words)."""
    name, symbol = COMPANIES[i % len(COMPANIES)]
    person = PEOPLE[i % len(PEOPLE)]
    move = 1 + (i * 37 % 90) / 10
    return (
        f"{name} ({symbol}) shares rose {move:.1f}% on Tuesday after the company reported "
        f'quarterly revenue of ${10 + i} billion. "Demand stayed strong through the quarter," '
        f"said {person}, an analyst at Harbor Capital. The S&P 500 gained {0.2 + i % 7 / 10:.1f}% "
        f"and the Dow Jones Industrial Average fell {100 + 7 * i} points. Trading was heavy."
    )


def tag(i: int) -> str:
    """A made-up word unique to ``i`` (no digits, so the extractor finds nothing in it)."""
    word = ""
    while True:
        word += SYLLABLES[i % 10]
        i //= 10
        if not i:
            return word


def synthetic(i: int) -> ArticleIn:
    """Article ``i``: base ``i % BASES`` plus a closing line that makes its text unique."""
    text = f"{base_text(i % BASES)}\n\nFiled by the {tag(i)} desk."
    return ArticleIn(text=text, title=f"Markets update {tag(i)}")


def expected_counts(nlp: Language, n: int) -> dict[str, int]:
    """Fact rows a clean run over synthetic(0..n-1) must store (extracting only the bases)."""
    texts = [synthetic(i).text for i in range(min(n, BASES))]
    per_base = list(extract_many(((t, None) for t in texts), nlp=nlp))
    total: Counter[str] = Counter()
    for i in range(n):
        e = per_base[i % BASES]
        total.update(
            tickers=len(e.tickers), figures=len(e.figures), quotes=len(e.quotes),
            claims=len(e.claims),
        )  # fmt: skip
    return {k: total[k] for k in ("tickers", "figures", "quotes", "claims")}


def fill(engine: Engine, n: int) -> None:
    """Queue synthetic(0..n-1) in one transaction."""
    with Session(engine) as session, session.begin():
        for i in range(n):
            intake.enqueue(session, synthetic(i), now=utc_now(), max_bytes=1_000_000)


def counts(engine: Engine) -> dict[str, object]:
    """What `newsclaims status --json` prints."""
    with Session(engine) as session:
        return {"articles": queue.status_counts(session)} | queries.fact_counts(session)


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of ``kind`` ("sqlite" or "postgres")."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        with fresh_postgres() as url:
            yield url


def upgraded(url: str) -> Engine:
    """An engine on ``url`` with the schema at head."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    return engine


# Parameters of a fixture whose tests run on both stores (PostgreSQL ones skip without a server).
STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def store_engine(kind: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated store of ``kind``, disposed (and a PostgreSQL one dropped) afterwards."""
    with database(kind, tmp_path) as url:
        engine = upgraded(url)
        yield engine
        engine.dispose()


def worker_env(url: str, data_dir: Path, **settings: object) -> dict[str, str]:
    """The environment of a `newsclaims worker` process on ``url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSCLAIMS_")}
    env |= {"NEWSCLAIMS_DATABASE_URL": url, "NEWSCLAIMS_DATA_DIR": str(data_dir)}
    env |= {f"NEWSCLAIMS_{k.upper()}": str(v) for k, v in settings.items()}
    return env


def start_worker(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    """`python -m cli.main worker ARGS` in the repository, output to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "cli.main", "worker", *args],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_until(
    engine: Engine, *, done_at_least: int, timeout: float, holding: bool = False
) -> None:
    """Poll until that many articles are done (and, with ``holding``, a batch is leased).

    ``holding`` lets a test kill a worker while it holds a batch: between batches (when it polls
    feeds or waits for work) it holds none, and a kill there would test nothing.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        articles = counts(engine)["articles"]
        assert isinstance(articles, dict)
        if articles["done"] >= done_at_least and (not holding or articles["processing"] > 0):
            return
        time.sleep(0.02 if articles["done"] >= done_at_least else 0.2)
    raise AssertionError(f"timed out waiting for {done_at_least} done articles")


def transaction_open(engine: Engine) -> bool:
    """Whether a connection other than this probe's holds a write (or any, on PostgreSQL)
    transaction on the store."""
    if engine.dialect.name == "sqlite":
        probe = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # database is locked
            return True
        finally:
            probe.close()
        return False
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        idle = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'"
            )
        ).scalar_one()
    return bool(idle)


def held_seconds(engine: Engine, host: str) -> float:
    """Seconds the store still holds ``host`` (a Retry-After, a backoff); 0 when not held."""
    with Session(engine) as session:
        row = session.get(FetchHost, host)
    until = None if row is None else row.held_until
    return 0.0 if until is None else (until - utc_now()).total_seconds()
