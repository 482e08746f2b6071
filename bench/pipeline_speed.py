"""Articles/s and words/s from ingest to done, next to the bare extractor on the same texts.

The texts of the --corpus folders (default dev) are repeated until there are at least --words
words, every article at least once (--words 0: each once); each copy gets a closing line with a
made-up word so that its normalised text (the idempotency key) is unique. Modes:
- extractor xK: ``extract_many`` (nlp.pipe, batches of 32) in K processes over K slices of the
  texts (pipeline loaded and warmed before the clock starts): the rate the store and queue are
  compared with;
- one by one xK: the same with ``extract`` article by article, as each extraction process of a
  worker runs (corpus/pool.py): against extractor xK it says what batching articles would gain;
- sqlite|postgres xK pP: K ``newsclaims worker`` processes with P extraction processes each
  (NEWSCLAIMS_EXTRACT_PROCESSES; 0: nlp.pipe over each leased batch in the worker itself) on an
  empty, migrated database; once all log "worker ready" and have done 2 warm-up articles per
  extraction process, the clock starts, the texts are queued as ``ingest`` does (one transaction
  each, near-duplicate matching on), and it stops when every article is done.
Overhead = pipeline time / bare time - 1 at the same number of extracting processes (goal: at most
30 %). The extractor modes also print their CPU seconds (the sum over their processes: steadier
than wall time on a shared machine). Prints numbers, asserts nothing. PostgreSQL runs when
--postgres-url (or NEWSCLAIMS_TEST_POSTGRES_URL) is set; each run gets a fresh database, dropped
afterwards (the role needs CREATEDB, as .ci/postgres.sh gives).

    uv run python bench/pipeline_speed.py [--words 40000] [--workers 1 2] [--corpus dev wild]
        [--extract-processes 2] [--postgres-url URL]
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
from extractor import extract, extract_many
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


def load_texts(corpora: list[Path], words: int, settings: Settings) -> list[ArticleIn]:
    """The corpora's articles cycled to ``words`` words (each at least once), each made unique
    by a closing line."""
    paths = [
        p for c in corpora for p in sorted(c.glob("*.json")) if not p.name.endswith(".gold.json")
    ]
    articles = [read_article(p, max_bytes=settings.max_article_bytes) for p in paths]
    out: list[ArticleIn] = []
    total = 0
    for i, article in enumerate(cycle(articles)):
        if total >= words and i >= len(articles):
            return out
        text = f"{article.text}\n\nFiled by the {tag(i)} desk."
        out.append(ArticleIn(text=text, title=article.title, published=article.published))
        total += len(text.split())
    return out


def _load(data_dir: str, model: str) -> None:
    global _nlp
    _nlp = Root(Settings(data_dir=Path(data_dir), model=model)).nlp


def _extract(items: list[Item], one_by_one: bool) -> float:
    """This process's CPU seconds for extracting ``items``."""
    assert _nlp is not None  # _load ran first: the pool's initializer
    started = time.process_time()
    if one_by_one:
        for text, published in items:
            extract(text, nlp=_nlp, published=published)
    else:
        for _ in extract_many(items, nlp=_nlp):
            pass
    return time.process_time() - started


def bare(items: list[Item], k: int, settings: Settings, *, one_by_one: bool) -> tuple[float, float]:
    """(wall, CPU) seconds for extracting ``items`` split across ``k`` warmed processes."""
    args = (str(settings.data_dir), settings.model)
    with ProcessPoolExecutor(
        k, mp_context=get_context("spawn"), initializer=_load, initargs=args
    ) as pool:
        warm = [pool.submit(_extract, items[:4], one_by_one) for _ in range(k)]
        wait(warm)  # load and warm each process
        started = time.perf_counter()
        slices = [pool.submit(_extract, items[i::k], one_by_one) for i in range(k)]
        wait(slices)
        return time.perf_counter() - started, sum(f.result() for f in slices)


# How often the benchmark asks whether everything is done (10 ms costs < 1 % of a 10 s run).
WAIT_SECONDS = 0.01
# After the warm-up, time for every extraction process to have loaded its pipeline: one that was
# slower than its siblings got no warm-up article (a load takes 2-7 s on the shared 2 cores).
LOAD_SECONDS = 10.0


def pipeline(
    url: str, articles: list[ArticleIn], k: int, settings: Settings, logs: Path, *, processes: int
) -> float:
    """Seconds from the first article queued to the last done, with ``k`` worker processes of
    ``processes`` extraction processes each."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    env = {k_: v for k_, v in os.environ.items() if not k_.startswith("NEWSCLAIMS_")}
    env |= {"NEWSCLAIMS_DATABASE_URL": url, "NEWSCLAIMS_DATA_DIR": str(settings.data_dir.resolve())}
    env |= {"NEWSCLAIMS_POLL_SECONDS": "0.1", "NEWSCLAIMS_EXTRACT_PROCESSES": str(processes)}
    env |= {"NEWSCLAIMS_ONLINE_PRICES": "false"}  # no network: the timing is the machine's
    paths = [logs / f"{uuid.uuid4().hex}.log" for _ in range(k)]
    workers = []
    for path in paths:
        with path.open("wb") as out:
            argv = [sys.executable, "-m", "cli.main", "worker"]
            workers.append(subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=out))
    while sum("worker ready" in p.read_text() for p in paths) < k:
        time.sleep(0.2)
    recent = RecentArticles(window=settings.dedup_window, threshold=settings.dedup_threshold)
    extracting = k * max(processes, 1)  # each extraction process loads its own pipeline
    warmups = articles[: 2 * extracting]
    warm = [ArticleIn(text=f"{a.text} (warm-up {i})") for i, a in enumerate(warmups)]
    ingest(engine, warm, recent)  # as the bare extractor, warmed before the clock starts
    time.sleep(LOAD_SECONDS)  # an extraction process that got no warm-up article is loading
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
    parser.add_argument("--corpus", nargs="+", default=["dev"], help="folders of shared/corpus")
    parser.add_argument(
        "--extract-processes", type=int, nargs="+", default=[2], help="per worker (0: in it)"
    )
    parser.add_argument("--postgres-url", default=os.environ.get("NEWSCLAIMS_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    settings = Settings()
    shared = (
        settings.shared_dir if "shared_dir" in settings.model_fields_set else REPO.parent / "shared"
    )
    corpora = [shared / "corpus" / name for name in args.corpus]
    articles = load_texts(corpora, args.words, settings)
    items = [(a.text, a.published) for a in articles]
    words = sum(len(a.text.split()) for a in articles)
    instruments.load_lexicon(settings.data_dir)  # warm the cache the workers share
    print(f"input    {len(articles)} articles, {words:,} words ({' + '.join(args.corpus)})")
    print(
        f"{'mode':<18}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'CPU s':>8}{'overhead':>10}",
        flush=True,
    )
    runs = [(k, p) for k in args.workers for p in args.extract_processes]
    bases: dict[int, float] = {}
    for n in sorted({k * max(p, 1) for k, p in runs}):
        for one_by_one in (False, True):
            seconds, cpu = bare(items, n, settings, one_by_one=one_by_one)
            if not one_by_one:
                bases[n] = seconds
            mode = f"{'one by one' if one_by_one else 'extractor'} x{n}"
            print(
                f"{mode:<18}{seconds:9.1f}{len(items) / seconds:12.1f}{words / seconds:10,.0f}"
                f"{cpu:8.1f}",
                flush=True,
            )
    backends = ["sqlite"] + ["postgres"] * bool(args.postgres_url)
    with tempfile.TemporaryDirectory() as tmp:
        for k, processes in runs:
            base = bases[k * max(processes, 1)]
            for backend in backends:
                admin = ""
                url = f"sqlite:///{tmp}/bench-{k}-{processes}.db"
                if backend == "postgres":
                    admin, url = fresh_postgres(args.postgres_url)
                seconds = pipeline(url, articles, k, settings, Path(tmp), processes=processes)
                overhead = (seconds / base - 1) * 100
                print(
                    f"{f'{backend} x{k} p{processes}':<18}{seconds:9.1f}"
                    f"{len(items) / seconds:12.1f}{words / seconds:10,.0f}{'':>8}"
                    f"{overhead:+9.1f}%",
                    flush=True,
                )
                if admin:
                    with psycopg.connect(admin, autocommit=True) as connection:
                        name = make_url(url).database
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"goal: store and queue overhead <= {GOAL_PERCENT:.0f} % of the bare extractor's time")


if __name__ == "__main__":
    main()
