"""`newsclaims ingest`: queue articles from files, folders and links (the worker fetches a link's
page), one transaction each; prints how many were new, duplicate or rejected."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.service import AsJson, open_store

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from corpus.dedup import RecentArticles
    from corpus.errors import BadArticle
    from corpus.sources import ArticleIn
    from runtime.settings import Settings


def ingest_command(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files and folders (.json .jsonl .txt .html), or http(s) links."),
    ],
    as_json: AsJson = False,
) -> None:
    """Queue articles from files, folders and links (a link's page is fetched by the worker);
    prints how many were new, duplicate or rejected."""
    from corpus.sources.files import iter_article_files, iter_articles
    from runtime.root import Root

    root = Root.from_env()
    settings, engine, recent = root.settings, open_store(root), root.recent()
    tally: Counter[str] = Counter()
    rejected: list[str] = []
    links = [s for s in sources if s.startswith(("http://", "https://"))]
    for link in links:
        outcome = ingest_link(engine, link, settings=settings)
        tally[outcome.split(":")[0]] += 1
        rejected += [outcome.removeprefix("rejected: ")] if outcome.startswith("rejected") else []
    paths = [Path(s) for s in sources if s not in links]
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


def ingest_link(engine: Engine, url: str, *, settings: Settings) -> str:
    """Queue one link for the worker to fetch: "new", "duplicate" or "rejected: reason"."""
    from sqlmodel import Session

    from corpus import intake
    from corpus.errors import LINKS_OFF, BadUrl
    from corpus.http import checked_url
    from corpus.sources import ArticleIn
    from store.clock import utc_now

    if not settings.fetch_articles:
        return f"rejected: {LINKS_OFF}"
    try:
        url = str(checked_url(url))
    except BadUrl as err:
        return f"rejected: {err}"
    with Session(engine) as session, session.begin():
        result = intake.enqueue_fetch(
            session, ArticleIn("", url=url), url=url, now=utc_now(),
            max_bytes=settings.max_article_bytes,
        )  # fmt: skip
    return "new" if result.created else "duplicate"


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
    from sqlmodel import Session

    from corpus import intake
    from corpus.errors import BadArticle
    from store.clock import utc_now

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
    """Add `ingest` to the ``newsclaims`` app."""
    app.command("ingest")(ingest_command)
