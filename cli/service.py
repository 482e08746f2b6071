"""Service commands: db upgrade, worker, status, requeue (the store and the ingestion worker);
the helpers every command opening the store shares (``open_store``, ``stopping``). `ingest` is
cli/ingest.py."""

from __future__ import annotations

import json
import logging
import multiprocessing
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from cli import command_group

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from checker import PriceSource
    from corpus.worker import Tally
    from runtime.root import Root
    from runtime.settings import Settings

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
db_app = command_group(help="The database schema.", no_args_is_help=True)


@contextmanager
def schema_checked() -> Iterator[None]:
    """An outdated PostgreSQL schema becomes one stderr line and exit status 1."""
    from store.errors import SchemaOutdated

    try:
        yield
    except SchemaOutdated as err:
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(code=1) from err


def open_store(root: Root) -> Engine:
    """The configured engine; an empty (or older) SQLite database is upgraded on the way."""
    with schema_checked():
        return root.store


def open_prices(root: Root) -> PriceSource:
    """The configured price source (the price table needs the store: see ``open_store``)."""
    with schema_checked():
        return root.prices


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply the database migrations (NEWSCLAIMS_DATABASE_URL) up to the newest."""
    from runtime.root import Root
    from store import db

    engine = Root.from_env().engine
    db.upgrade(engine, revision)
    print(f"database at revision {db.current_revision(engine)}")


def stopping() -> threading.Event:
    """A long-running command's stop: set by SIGTERM or Ctrl-C (the loop finishes what it has in
    hand, then returns); logging goes to stderr."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return stop


def work(root: Root, drain: bool) -> Tally:
    """One worker: SIGTERM or Ctrl-C finish the batch in hand, then it returns."""
    stop = stopping()
    open_store(root)
    tally = root.run_worker(stop, drain=drain, poll_feeds=True)
    print(
        f"worker: {tally.done} done, {tally.retried} to retry, {tally.failed} failed, "
        f"{tally.lost} leases lost, in {tally.batches} batches; {tally.from_feeds} from feeds",
        file=sys.stderr,
    )
    return tally


def _child(settings: Settings, drain: bool) -> None:
    from runtime.root import Root

    work(Root(settings), drain)  # each process builds its own engine, pipeline and prices


def worker_command(
    concurrency: Annotated[int, typer.Option(min=1, help="Worker processes to run.")] = 1,
    drain: Annotated[
        bool, typer.Option("--drain", help="Exit once nothing is queued or processing.")
    ] = False,
) -> None:
    """Process queued articles until stopped (SIGTERM finishes the batch in hand)."""
    from runtime.root import Root

    root = Root.from_env()
    if concurrency == 1:
        work(root, drain)
        return
    open_store(root)  # upgrade once, before the children race to
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=_child, args=(root.settings, drain)) for _ in range(concurrency)
    ]
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
    from sqlmodel import Session

    from corpus import feed_store
    from runtime.root import Root
    from store import queries, queue

    engine = open_store(Root.from_env())
    with Session(engine) as session:
        result: dict[str, object] = {"articles": queue.status_counts(session)}
        result |= {"checked": queue.checked_count(session), "partial": queue.partial_count(session)}
        result |= queries.fact_counts(session)
        feeds = [feed.to_dict() for feed in feed_store.fetch_stats(session)]
    if as_json:
        print(json.dumps(result | {"feeds": feeds}))
        return
    for name, value in result.items():
        if isinstance(value, dict):
            for status, count in value.items():
                print(f"{name:<9} {status:<11} {count:>9}")
        else:
            print(f"{name:<21} {value:>9}")
    for feed in feeds:
        print(f"feed {feed['feed_id']:>4}  {feed['url']}  fetches {feed['fetches']}, failures "
              f"{feed['failures']}, partial {feed['partial']}")  # fmt: skip
        if feed["last_error"]:
            print(f"           last error: {feed['last_error']}")


def requeue_command(
    ids: Annotated[
        list[int] | None, typer.Option("--id", help="A failed article to queue again (repeat).")
    ] = None,
    all_failed: Annotated[
        bool, typer.Option("--all", help="Queue every failed article again.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Put failed articles back in the queue with fresh attempts (after a fix or a timeout)."""
    from sqlmodel import Session

    from runtime.root import Root
    from store import queue
    from store.clock import utc_now

    if all_failed == bool(ids):
        print("error: give --all or one or more --id", file=sys.stderr)
        raise typer.Exit(code=2)
    engine = open_store(Root.from_env())
    with Session(engine) as session, session.begin():
        moved = queue.requeue(session, now=utc_now(), article_ids=None if all_failed else ids)
    print(json.dumps({"requeued": moved}) if as_json else f"requeued {moved} failed articles")


def register(app: typer.Typer) -> None:
    """Add the service commands to the ``newsclaims`` app."""
    app.add_typer(db_app, name="db")
    app.command("worker")(worker_command)
    app.command("status")(status_command)
    app.command("requeue")(requeue_command)
