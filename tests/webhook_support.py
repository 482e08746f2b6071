"""Helpers of the webhook tests: a loopback receiver, wrong claims stored as the worker stores
them, and the outbox's rows."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from alerts import signing
from checker import InMemoryPrices, PriceBar
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus import article_results, intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim
from store import outbox, queue
from store.clock import utc_now
from store.tables import WebhookDelivery, WebhookEvent

SECRET = "whsec_test_secret_0123456789"
# SPY's real closes: 2025 began with a 0.25 % fall; a claimed 2 % rise is contradicted.
CLOSES = [PriceBar("SPY", date(2024, 12, 31), close=586.08)]
PRICES = InMemoryPrices({"SPY": [*CLOSES, PriceBar("SPY", date(2025, 1, 2), close=584.64)]})
BEFORE_2025 = InMemoryPrices({"SPY": CLOSES})  # a forecast for 2025-01-02 is pending on these


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1: answers ``codes`` in turn, then 200; ``hold``, when
    given, keeps each request waiting until it is set."""

    codes: list[int] = field(default_factory=list)
    hold: threading.Event | None = None
    requests: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    url: str = ""

    def answer(self, headers: dict[str, str], content: bytes) -> int:
        self.arrived.set()
        if self.hold is not None:
            self.hold.wait(30)
        code = self.codes.pop(0) if self.codes else 200
        self.requests.append((headers, content, code))
        return code

    def processed(self, secret: str = SECRET) -> list[dict[str, Any]]:
        """The events a receiver that drops repeats by id would process: answered 2xx, signed
        validly with ``secret``, each id once."""
        seen: dict[str, dict[str, Any]] = {}
        for headers, content, code in self.requests:
            valid = signing.verify(
                secret, headers[signing.HEADER.lower()], content, now=time.time()
            )
            event = json.loads(content)
            if valid and code < 300 and headers["webhook-id"] == event["id"]:
                seen.setdefault(event["id"], event)
        return list(seen.values())


@contextmanager
def receiving(receiver: Receiver) -> Iterator[Receiver]:
    """``receiver`` served from a thread on a free loopback port."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            content = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            code = receiver.answer(headers, content)
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        if receiver.hold is not None:
            receiver.hold.set()
        server.shutdown()
        server.server_close()


def subscribe(engine: Engine, url: str, events: tuple[str, ...] = outbox.EVENT_TYPES) -> int:
    """A webhook on ``url`` for ``events``, signed with SECRET; its id."""
    with Session(engine) as session, session.begin():
        webhook = outbox.add_webhook(session, url=url, events=events, secret=SECRET, now=utc_now())
        return webhook.id or 0


def spy_claim(value: float, kind: str = "historical") -> Claim:
    return Claim(
        "SPY", "price_return", value, "percent", kind, f"SPY rose {value}%", (0, 4),  # type: ignore[arg-type]
        start=date(2024, 12, 31), end=date(2025, 1, 2),
    )  # fmt: skip


def stored_by_worker(
    engine: Engine, calendar: NyseCalendar, claims: list[Claim], *, prices: InMemoryPrices = PRICES
) -> list[int]:
    """One article per claim, each saved by the worker's own ``save`` (facts, checks and alerts in
    one transaction); the articles' ids."""
    with Session(engine) as session, session.begin():
        ids = [
            intake.enqueue(
                session, ArticleIn(text=f"Copy {uuid.uuid4()}: SPY rose.", source=f"outlet {i}"),
                now=utc_now(), max_bytes=10**6,
            ).article_id
            for i in range(len(claims))
        ]  # fmt: skip
        lease = queue.lease(
            session, limit=len(claims), now=utc_now(), lease_seconds=60, max_attempts=3
        )
    assert lease is not None
    checking = Checking(prices, calendar)
    for article_id, claim in zip(ids, claims, strict=True):
        article_results.save(
            engine, article_id, Extraction(claims=(claim,)), token=lease.token,
            checking=checking, now=utc_now(),
        )  # fmt: skip
    return ids


def outbox_rows(engine: Engine) -> tuple[int, int]:
    """(events, deliveries) in the outbox."""
    with Session(engine) as session:
        events = session.exec(select(func.count()).select_from(WebhookEvent)).one()
        deliveries = session.exec(select(func.count()).select_from(WebhookDelivery)).one()
    return int(events), int(deliveries)
