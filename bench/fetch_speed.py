"""Pages fetched and read per second from 50 loopback hosts under the politeness rules, next to
the page reader's own rate (``corpus.pages.read_page`` on the same pages, no network).

Each host is its own server on 127.0.0.2 ... 127.0.0.51 (tests/corpus/site_support.py) serving
generated pages (tests/corpus/pages_support.py) and a robots.txt. --per-host links per host are
queued in a SQLite store, then fetch rounds (corpus.fetching.fetch_round, as the worker runs them)
go until none is left: robots.txt once per host, one request per host per --interval seconds,
--concurrency hosts at once. Pages per second = pages / wall time of the rounds. Asserts nothing.

    uv run python bench/fetch_speed.py [--hosts 50] [--per-host 4] [--interval 2] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "corpus"))
from pages_support import build_page, layout_of, load_stories
from site_support import Site, serve
from sqlmodel import Session

from corpus import intake
from corpus.fetching import ArticleFetching, FetchOptions, fetch_round
from corpus.http import HttpClient, HttpOptions
from corpus.pages import read_page
from corpus.sources import ArticleIn
from store import db, queue
from store.clock import utc_now

SHARED = Path(__file__).resolve().parents[2] / "shared"
FEED = "wsj_markets_2023-02-04"


def main() -> None:
    """Fetch every queued page and print both rates."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    stories = load_stories(SHARED / "corpus" / "wild")
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        engine = db.make_engine(f"sqlite:///{folder}/fetch.db")
        db.upgrade(engine)
        sites = [Site(SHARED / "feeds", stories, robots="User-agent: *\nAllow: /\n")
                 for _ in range(args.hosts)]  # fmt: skip
        bases = [stack.enter_context(serve(s, f"127.0.0.{i + 2}")) for i, s in enumerate(sites)]
        with Session(engine) as session, session.begin():
            for base in bases:
                for i in range(args.per_host):
                    url = f"{base}/articles/{FEED}-{i}"
                    intake.enqueue_fetch(session, ArticleIn("A teaser."), url=url,
                                         now=utc_now(), max_bytes=2_000_000)  # fmt: skip
        client = stack.enter_context(HttpClient(HttpOptions(allow_loopback=True)))
        options = FetchOptions(concurrency=args.concurrency, batch=10_000, per_host=10_000)
        stage = ArticleFetching.build(client, engine, interval=args.interval, options=options)
        began = time.perf_counter()
        while True:
            with Session(engine) as session:
                if queue.status_counts(session)["fetching"] == 0:
                    break
            fetch_round(engine, stage, utc_now)
        seconds = time.perf_counter() - began
    pages = args.hosts * args.per_host
    bound = args.concurrency / args.interval
    print(f"{pages} pages from {args.hosts} hosts, interval {args.interval:g} s, "
          f"{args.concurrency} hosts at once: {seconds:.1f} s, {pages / seconds:.1f} pages/s "
          f"(bound: {bound:.1f} pages/s; robots.txt once per host)")  # fmt: skip
    keys = [f"{FEED}-{i}" for i in range(args.per_host)] * 10
    html = [
        build_page(sites[0].story(k), layout=layout_of(k), canonical="http://x/a") for k in keys
    ]
    began = time.perf_counter()
    for page in html:
        read_page(page.encode(), url="http://x/a")
    print(f"page reader alone: {len(html) / (time.perf_counter() - began):.1f} pages/s")


if __name__ == "__main__":
    main()
