"""Articles/s and words/s from ingest to done, next to the bare extractor on the same texts.

The dev corpus texts are repeated until there are at least --words words; each copy gets a closing
line with a made-up word so that its normalised text (the idempotency key) is unique. Modes:
- extractor xK: ``extract_many`` in K processes over K slices of the texts (pipeline loaded and
  warmed before the clock starts): the rate the store and queue are compared with;
- sqlite|postgres xK: K ``newsclaims worker`` processes on an empty, migrated database; once all
  log "worker ready" and have done 2K warm-up articles, the clock starts, the texts are queued as
  ``ingest`` does (one transaction each, near-duplicate matching on), and it stops when every
  article is done.
Overhead = pipeline time / bare time - 1 at the same K (goal: at most 30 %). Prints numbers,
asserts nothing. PostgreSQL runs when --postgres-url (or NEWSCLAIMS_TEST_POSTGRES_URL) is set; each
run gets a fresh database, dropped afterwards (the role needs CREATEDB, as .ci/postgres.sh gives).

    uv run python bench/pipeline_speed.py [--words 40000] [--workers 1 2] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, wait
from datetime import date
from itertools import cycle
from multiprocessing import get_context
from pathlib import Path

import psycopg
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session

from corpus import instruments, intake
from corpus.dedup import RecentArticles
from corpus.sources import ArticleIn
from corpus.sources.files import read_article
from extractor import extract_many
from runtime.root import Root
from runtime.settings import Settings
from store import db, queue
from store.clock import utc_now

REPO = Path(__file__).resolve().parent.parent
GOAL_PERCENT = 30.0
SYLLABLES = ["ba", "ke", "mi", "to", "zu", "ra", "ne", "fo", "li", "du"]
Item = tuple[str, date | None]
_nlp = None


def tag(i: int) -> str:
    """A made-up word unique to ``i``."""
    return "".join(SYLLABLES[int(d)] for d in str(i))


def load_texts(corpus: Path, words: int, settings: Settings) -> list[ArticleIn]:
    """Dev articles cycled to ``words`` words, each made unique by a closing line."""
    paths = sorted(p for p in corpus.glob("*.json") if not p.name.endswith(".gold.json"))
    articles = [read_article(p, max_bytes=settings.max_article_bytes) for p in paths]
    out: list[ArticleIn] = []
    total = 0
    for i, article in enumerate(cycle(articles)):
        if total >= words:
            return out
        text = f"{article.text}\n\nFiled by the {tag(i)} desk."
        out.append(ArticleIn(text=text, title=article.title, published=article.published))
        total += len(text.split())
    return out


def _load(data_dir: str, model: str) -> None:
    global _nlp
    _nlp = Root(Settings(data_dir=Path(data_dir), model=model)).nlp


def _extract(items: list[Item]) -> int:
    return sum(1 for _ in extract_many(items, nlp=_nlp))


def bare(items: list[Item], k: int, settings: Settings) -> float:
    """Seconds for ``extract_many`` over ``items`` split across ``k`` warmed processes."""
    args = (str(settings.data_dir), settings.model)
    with ProcessPoolExecutor(
        k, mp_context=get_context("spawn"), initializer=_load, initargs=args
    ) as pool:
        wait([pool.submit(_extract, items[:4]) for _ in range(k)])  # load and warm each process
        started = time.perf_counter()
        wait([pool.submit(_extract, items[i::k]) for i in range(k)])
        return time.perf_counter() - started


# How often the benchmark asks whether everything is done (10 ms costs < 1 % of a 10 s run).
WAIT_SECONDS = 0.01


def pipeline(url: str, articles: list[ArticleIn], k: int, settings: Settings, logs: Path) -> float:
    """Seconds from the first article queued to the last done, with ``k`` worker processes."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    env = {k_: v for k_, v in os.environ.items() if not k_.startswith("NEWSCLAIMS_")}
    env |= {"NEWSCLAIMS_DATABASE_URL": url, "NEWSCLAIMS_DATA_DIR": str(settings.data_dir.resolve())}
    env |= {"NEWSCLAIMS_POLL_SECONDS": "0.1"}
    paths = [logs / f"{uuid.uuid4().hex}.log" for _ in range(k)]
    workers = []
    for path in paths:
        with path.open("wb") as out:
            argv = [sys.executable, "-m", "cli.main", "worker"]
            workers.append(subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=out))
    while sum("worker ready" in p.read_text() for p in paths) < k:
        time.sleep(0.2)
    recent = RecentArticles(window=settings.dedup_window, threshold=settings.dedup_threshold)
    warm = [ArticleIn(text=f"{a.text} (warm-up {i})") for i, a in enumerate(articles[: 2 * k])]
    ingest(engine, warm, recent)  # as the bare extractor, warmed before the clock starts
    started = time.perf_counter()
    ingest(engine, articles, recent)
    seconds = time.perf_counter() - started
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
        worker.wait()
    engine.dispose()
    return seconds


def ingest(engine: Engine, articles: list[ArticleIn], recent: RecentArticles) -> None:
    """Queue the articles as `newsclaims ingest` does and wait until all of them are done."""
    with Session(engine) as session:
        target = queue.status_counts(session)["done"] + len(articles)
    for article in articles:
        with Session(engine) as session, session.begin():
            intake.enqueue(session, article, now=utc_now(), max_bytes=10**7, recent=recent)
    while True:
        with Session(engine) as session:
            if queue.status_counts(session)["done"] >= target:
                return
        time.sleep(WAIT_SECONDS)  # a busy loop here would take a core from the workers
        time.sleep(0.1)


def fresh_postgres(base: str) -> tuple[str, str]:
    """(admin URL, URL of a new database)."""
    url = make_url(base)
    name = f"newsclaims_bench_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin, url.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=40_000, help="at least this many words")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres-url", default=os.environ.get("NEWSCLAIMS_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    settings = Settings()
    shared = (
        settings.shared_dir if "shared_dir" in settings.model_fields_set else REPO.parent / "shared"
    )
    articles = load_texts(shared / "corpus" / "dev", args.words, settings)
    items = [(a.text, a.published) for a in articles]
    words = sum(len(a.text.split()) for a in articles)
    instruments.load_lexicon(settings.data_dir)  # warm the cache the workers share
    print(f"input    {len(articles)} articles, {words:,} words (dev corpus, repeated)")
    print(
        f"{'mode':<14}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'overhead':>10}", flush=True
    )
    backends = ["sqlite"] + ["postgres"] * bool(args.postgres_url)
    with tempfile.TemporaryDirectory() as tmp:
        for k in args.workers:
            base = bare(items, k, settings)
            print(
                f"{f'extractor x{k}':<14}{base:9.1f}{len(items) / base:12.1f}{words / base:10,.0f}"
            )
            for backend in backends:
                admin = ""
                url = f"sqlite:///{tmp}/bench-{k}.db"
                if backend == "postgres":
                    admin, url = fresh_postgres(args.postgres_url)
                seconds = pipeline(url, articles, k, settings, Path(tmp))
                overhead = (seconds / base - 1) * 100
                print(
                    f"{f'{backend} x{k}':<14}{seconds:9.1f}{len(items) / seconds:12.1f}"
                    f"{words / seconds:10,.0f}{overhead:+9.1f}%",
                    flush=True,
                )
                if admin:
                    with psycopg.connect(admin, autocommit=True) as connection:
                        name = make_url(url).database
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"goal: store and queue overhead <= {GOAL_PERCENT:.0f} % of the bare extractor's time")


if __name__ == "__main__":
    main()
