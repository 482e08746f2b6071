"""Service commands: db upgrade, worker, status, ingest (the store and the ingestion worker)."""

from __future__ import annotations

import json
import logging
import multiprocessing
import signal
import sys
import threading
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from sqlalchemy import Engine
from sqlmodel import Session

from checker import PriceSource
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus import instruments, intake
from corpus.dedup import RecentArticles
from corpus.errors import BadArticle
from corpus.feed_polling import FeedPolling, http_options
from corpus.http import HttpClient
from corpus.settings import Settings
from corpus.sources import ArticleIn
from corpus.sources.files import iter_article_files, iter_articles
from corpus.worker import Tally, WorkerOptions, run
from extractor import build_nlp
from marketdata.providers.csv import load_prices_dir
from marketdata.providers.yahoo import ReadThroughPrices, YahooPrices
from marketdata.table import DbPrices
from store import db, queries, queue
from store.clock import utc_now
from store.errors import SchemaOutdated

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


def open_store(settings: Settings) -> Engine:
    """The configured engine; an empty (or older) SQLite database is upgraded on the way."""
    engine = db.make_engine(settings.database_url)
    try:
        db.ensure_schema(engine)
    except SchemaOutdated as err:
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(code=1) from err
    return engine


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply the database migrations (NEWSCLAIMS_DATABASE_URL) up to the newest."""
    engine = db.make_engine(Settings().database_url)
    db.upgrade(engine, revision)
    print(f"database at revision {db.current_revision(engine)}")


def make_price_source(settings: Settings, engine: Engine) -> PriceSource:
    """Where checks read prices: NEWSCLAIMS_PRICES_DIR's CSVs if set, else the prices table, read
    through to Yahoo Finance unless NEWSCLAIMS_ONLINE_PRICES=false."""
    if settings.prices_dir is not None:
        return load_prices_dir(settings.prices_dir)
    table = DbPrices(engine)
    if not settings.online_prices:
        return table
    online = YahooPrices(
        min_interval=settings.online_min_interval,
        timeout=settings.online_timeout,
        retry_seconds=settings.online_retry_seconds,
    )
    return ReadThroughPrices(table, online, refresh_seconds=settings.online_refresh_seconds)


def worker_options(settings: Settings, *, drain: bool) -> WorkerOptions:
    """The worker's knobs from the settings."""
    return WorkerOptions(
        batch_size=settings.batch_size,
        lease_seconds=settings.lease_seconds,
        max_attempts=settings.max_attempts,
        retry_seconds=settings.retry_seconds,
        poll_seconds=settings.poll_seconds,
        drain=drain,
    )


def work(settings: Settings, drain: bool) -> Tally:
    """One worker: SIGTERM or Ctrl-C finish the batch in hand, then it returns."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    engine = open_store(settings)
    calendar = NyseCalendar()
    lexicon = instruments.load_lexicon(settings.data_dir)  # as cli/main.py's make_nlp
    nlp = build_nlp(lexicon, calendar=calendar, model=settings.model)
    checking = Checking(make_price_source(settings, engine), calendar)
    options = worker_options(settings, drain=drain)
    with HttpClient(http_options(settings)) as client:
        feeds = feed_polling(settings, client) if settings.poll_feeds else None
        tally = run(engine, nlp, options=options, stop=stop, checking=checking, feeds=feeds)
    print(
        f"worker: {tally.done} done, {tally.retried} to retry, {tally.failed} failed, "
        f"{tally.lost} leases lost, in {tally.batches} batches; {tally.from_feeds} from feeds",
        file=sys.stderr,
    )
    return tally


def feed_polling(settings: Settings, client: HttpClient) -> FeedPolling:
    """How the worker polls feeds: entries are queued as `ingest` queues files."""
    recent = RecentArticles(window=settings.dedup_window, threshold=settings.dedup_threshold)
    return FeedPolling(client, max_bytes=settings.max_article_bytes, recent=recent)


def _child(settings: Settings, drain: bool) -> None:
    work(settings, drain)


def worker_command(
    concurrency: Annotated[int, typer.Option(min=1, help="Worker processes to run.")] = 1,
    drain: Annotated[
        bool, typer.Option("--drain", help="Exit once nothing is queued or processing.")
    ] = False,
) -> None:
    """Process queued articles until stopped (SIGTERM finishes the batch in hand)."""
    settings = Settings()
    if concurrency == 1:
        work(settings, drain)
        return
    open_store(settings)  # upgrade once, before the children race to
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=_child, args=(settings, drain)) for _ in range(concurrency)]
    for child in children:
        child.start()

    def forward(signum: int, frame: FrameType | None) -> None:
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: the child finishes its batch

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal sends Ctrl-C to the children too
    for child in children:
        child.join()
    if any(child.exitcode != 0 for child in children):
        raise typer.Exit(code=1)


def status_command(as_json: AsJson = False) -> None:
    """Articles per state and stored facts, for operators and scripts."""
    engine = open_store(Settings())
    with Session(engine) as session:
        result: dict[str, object] = {"articles": queue.status_counts(session)}
        result |= queries.fact_counts(session)
    if as_json:
        print(json.dumps(result))
        return
    for name, value in result.items():
        if isinstance(value, dict):
            for status, count in value.items():
                print(f"{name:<9} {status:<11} {count:>9}")
        else:
            print(f"{name:<21} {value:>9}")


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders: .json .jsonl .txt .html")],
    as_json: AsJson = False,
) -> None:
    """Queue articles from files and folders; prints how many were new, duplicate or rejected."""
    settings = Settings()
    engine = open_store(settings)
    recent = RecentArticles(window=settings.dedup_window, threshold=settings.dedup_threshold)
    tally: Counter[str] = Counter()
    rejected: list[str] = []
    files = list(iter_article_files(paths))
    with typer.progressbar(files, label="ingest", file=sys.stderr) as progress:
        for path in progress:
            for item in iter_articles(path, max_bytes=settings.max_article_bytes):
                outcome = ingest_one(engine, item, what=str(path), settings=settings, recent=recent)
                tally[outcome if not outcome.startswith("rejected") else "rejected"] += 1
                if outcome.startswith("rejected"):
                    rejected.append(outcome.removeprefix("rejected: "))
    summary = {
        "new": tally["new"] + tally["near_duplicate"],
        "near_duplicate": tally["near_duplicate"],
        "duplicate": tally["duplicate"],
        "rejected": [{"reason": reason} for reason in rejected],
    }
    if as_json:
        print(json.dumps(summary))
    else:
        print(
            f"new {summary['new']} (near-duplicates {tally['near_duplicate']}), "
            f"duplicate {tally['duplicate']}, rejected {len(rejected)}"
        )
        for reason in rejected:
            print(f"  rejected: {reason}")
    if rejected:
        raise typer.Exit(code=1)


def ingest_one(
    engine: Engine,
    item: ArticleIn | BadArticle,
    *,
    what: str,
    settings: Settings,
    recent: RecentArticles,
) -> str:
    """Queue one article in its own transaction: "new", "near_duplicate", "duplicate" or
    "rejected: reason"."""
    if isinstance(item, BadArticle):
        return f"rejected: {item}"
    try:
        with Session(engine) as session, session.begin():
            result = intake.enqueue(
                session,
                item,
                now=utc_now(),
                what=what,
                max_bytes=settings.max_article_bytes,
                recent=recent,
            )
    except BadArticle as err:
        return f"rejected: {err}"
    if not result.created:
        return "duplicate"
    return "near_duplicate" if result.duplicate_of is not None else "new"


def register(app: typer.Typer) -> None:
    """Add the service commands to the ``newsclaims`` app."""
    app.add_typer(db_app, name="db")
    app.command("worker")(worker_command)
    app.command("status")(status_command)
    app.command("ingest")(ingest_command)
