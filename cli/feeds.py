"""Feed commands: ``feeds add URL``, ``feeds list``, ``feeds remove URL|ID``, ``feeds poll``."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cli import command_group
from cli.service import AsJson, open_store
from corpus.feed_intervals import DEFAULT_SECONDS, MIN_INTERVAL_SECONDS

if TYPE_CHECKING:
    from corpus.feed_polling import FeedsReport
    from corpus.feed_store import FeedInfo

feeds_app = command_group(help="RSS/Atom feeds the worker polls.", no_args_is_help=True)


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's http(s) URL.")],
    interval: Annotated[
        int,
        typer.Option(min=MIN_INTERVAL_SECONDS, help="Seconds between polls (backoff aside)."),
    ] = DEFAULT_SECONDS,
) -> None:
    """Add a feed; the next worker (or `feeds poll`) polls it at once."""
    from sqlmodel import Session

    from corpus import feed_store
    from corpus.errors import BadUrl
    from runtime.root import Root
    from store.clock import utc_now

    engine = open_store(Root.from_env())
    try:
        with Session(engine) as session, session.begin():
            added = feed_store.add_feed(session, url, now=utc_now(), interval_seconds=interval)
    except BadUrl as err:
        print(f"error: {err}", file=sys.stderr)
        raise typer.Exit(code=1) from err
    verb = "added" if added.created else "already there:"
    print(f"{verb} feed {added.feed.id} {added.feed.url} (every {added.feed.interval_seconds} s)")


@feeds_app.command("list")
def feeds_list(as_json: AsJson = False) -> None:
    """Every feed: when it is next polled, its articles and its last error."""
    from sqlmodel import Session

    from corpus import feed_store
    from runtime.root import Root

    engine = open_store(Root.from_env())
    with Session(engine) as session:
        feeds = feed_store.list_feeds(session)
    if as_json:
        print(json.dumps([feed.to_dict() for feed in feeds]))
        return
    for feed in feeds:
        print(row(feed))


def row(feed: FeedInfo) -> str:
    """One feed on one line (and its last error on the next)."""
    when = f"{feed.next_poll_at:%Y-%m-%d %H:%M}" if feed.next_poll_at else "now"
    line = f"{feed.id:>4}  {feed.url}  every {feed.interval_seconds} s  next {when}  "
    line += f"{feed.articles} articles"
    if feed.errors:
        line += f"\n      {feed.errors} failures in a row, last: {feed.last_error}"
    return line


@feeds_app.command("remove")
def feeds_remove(
    ref: Annotated[str, typer.Argument(metavar="URL|ID", help="Feed to remove.")],
) -> None:
    """Remove a feed; the articles it brought stay."""
    from sqlmodel import Session

    from corpus import feed_store
    from runtime.root import Root

    engine = open_store(Root.from_env())
    with Session(engine) as session, session.begin():
        removed = feed_store.remove_feed(session, ref)
    if removed is None:
        print(f"error: no feed {ref}", file=sys.stderr)
        raise typer.Exit(code=1)
    print(f"removed feed {removed.id} {removed.url} ({removed.articles} articles kept)")


@feeds_app.command("poll")
def feeds_poll(
    every: Annotated[
        bool, typer.Option("--all", help="Poll every feed now, not only the due ones.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Poll the due feeds once, now, and queue their new entries; exit 1 if any feed failed."""
    from corpus.feed_polling import poll_due_feeds
    from corpus.http import HttpClient
    from runtime.root import Root
    from store.clock import utc_now

    root = Root.from_env()
    engine = open_store(root)
    with HttpClient(root.http_options()) as client:
        polling = root.feed_polling(client)
        report = poll_due_feeds(
            engine, client, utc_now(), max_bytes=polling.max_bytes, recent=polling.recent,
            every=every, follow_links=polling.follow_links,
        )  # fmt: skip
    print(json.dumps(report.to_dict()) if as_json else summary(report))
    if report.failed:
        raise typer.Exit(code=1)


def summary(report: FeedsReport) -> str:
    """A line per feed and the totals."""
    lines = []
    for polled in report.feeds:
        line = f"{polled.url}: {polled.outcome}, new {polled.new}, duplicate {polled.duplicates}"
        line += f", rejected {len(polled.rejected)}" if polled.rejected else ""
        lines.append(line + (f" ({polled.error})" if polled.error else ""))
    totals = report.to_dict()
    lines.append(
        f"{totals['polled']} feeds polled: new {totals['new']}, duplicate {totals['duplicates']}, "
        f"rejected {totals['rejected']}, failed {totals['failed']}"
    )
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add the feed commands to the ``newsclaims`` app."""
    app.add_typer(feeds_app, name="feeds")
