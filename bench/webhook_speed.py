"""Webhooks: what the outbox costs the worker, and how fast a deliverer drains it.

1. ``article_results.save`` (the worker's write) of N one-claim articles whose claim is
   contradicted (each a new discrepancy group), with no webhook and with one subscribed webhook
   (each save then also writes the event and its delivery): ms per article.
2. ``alerts.delivery.run`` draining those N events to a loopback receiver (http.server in a
   thread): deliveries per second (each is a claim transaction, a POST and a settle transaction).

    uv run python bench/webhook_speed.py [--n 300] [--postgres]   # PostgreSQL: a fresh database
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from api_speed import fresh_postgres
from sqlalchemy import Engine
from sqlmodel import Session

from alerts import delivery
from checker import InMemoryPrices, PriceBar
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus import article_results, intake
from corpus.http import HttpClient, HttpOptions
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim
from store import db, outbox, queue
from store.clock import utc_now

PRICES = InMemoryPrices(
    {"SPY": [PriceBar("SPY", date(2024, 12, 31), close=586.08),
             PriceBar("SPY", date(2025, 1, 2), close=584.64)]}
)  # fmt: skip


class Quiet(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def save_articles(engine: Engine, checking: Checking, n: int, *, first: float) -> float:
    """Seconds per article of article_results.save, each article one contradicted claim of its
    own."""
    with Session(engine) as session, session.begin():
        ids = [
            intake.enqueue(session, ArticleIn(text=f"{uuid.uuid4()} SPY rose."), now=utc_now(),
                           max_bytes=10**6).article_id
            for _ in range(n)
        ]  # fmt: skip
        lease = queue.lease(session, limit=n, now=utc_now(), lease_seconds=600, max_attempts=3)
    assert lease is not None
    started = time.perf_counter()
    for i, article_id in enumerate(ids):
        claim = Claim("SPY", "price_return", first + i / 100, "percent", "historical", "SPY rose",
                      (0, 3), start=date(2024, 12, 31), end=date(2025, 1, 2))  # fmt: skip
        article_results.save(engine, article_id, Extraction(claims=(claim,)), token=lease.token,
                    checking=checking, now=utc_now())  # fmt: skip
    return (time.perf_counter() - started) / n


def measure(url: str, n: int) -> None:
    """Both numbers on the (empty) database at ``url``."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    checking = Checking(PRICES, NyseCalendar())
    bare = save_articles(engine, checking, n, first=2.0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with Session(engine) as session, session.begin():
        receiver = f"http://127.0.0.1:{server.server_address[1]}/"
        outbox.add_webhook(session, url=receiver, events=outbox.EVENT_TYPES, secret="s" * 32,
                           now=utc_now())  # fmt: skip
    alerted = save_articles(engine, checking, n, first=50.0)  # groups of their own: new events
    started = time.perf_counter()
    with HttpClient(HttpOptions(allow_loopback=True)) as client:
        tally = delivery.run(engine, client, options=delivery.DeliveryOptions(drain=True))
    seconds = time.perf_counter() - started
    server.shutdown()
    engine.dispose()
    name = engine.dialect.name
    print(
        f"{name}: worker.save {bare * 1000:.2f} ms/article without webhooks, "
        f"{alerted * 1000:.2f} ms with one ({(alerted / bare - 1) * 100:+.0f} %)"
    )
    print(f"{name}: delivered {tally.delivered} of {n} in {seconds:.2f} s: "
          f"{tally.delivered / seconds:.0f} deliveries/s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--postgres", action="store_true", help="also NEWSCLAIMS_TEST_POSTGRES_URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{Path(folder) / 'bench.db'}", args.n)
    if args.postgres:  # a fresh database on that server, dropped afterwards
        with fresh_postgres(os.environ["NEWSCLAIMS_TEST_POSTGRES_URL"]) as url:
            measure(url, args.n)


if __name__ == "__main__":
    main()
