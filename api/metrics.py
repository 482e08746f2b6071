"""Prometheus metrics of one app: request counts and latency (the middleware records them),
queue depth, articles processed (checked: partial articles are counted apart) and verdicts (read
from the store, at most once in STORE_SECONDS).
/metrics is served only with NEWSCLAIMS_METRICS=true (api/app.py); it takes no key."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from corpus import feed_store
from corpus.feed_store import FeedFetches
from store import queue
from store.tables import CheckRow, ClaimRow

log = logging.getLogger(__name__)
access = logging.getLogger("api.access")  # one structured line per request (api.app's formatter)
# Request latency buckets (seconds): API reads take 1-10 ms, a submit up to ~100 ms.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


# Seconds a scrape's store figures are reused: Prometheus scrapes every 15-60 s, and each read is
# two aggregations over whole tables (articles, claims x checks). Chosen, not measured.
STORE_SECONDS = 10.0


class StoreCollector(Collector):
    """Queue depth, articles processed and verdicts, read from the store at most once in
    ``max_age`` seconds, on the read engine (SQLite query_only, PostgreSQL autocommit: a scrape
    never opens a write transaction nor waits for the worker's)."""

    def __init__(self, reader: Engine, *, max_age: float = STORE_SECONDS) -> None:
        self._reader, self._max_age = reader, max_age
        self._lock = threading.Lock()  # scrapes run in the thread pool: one reads, others wait
        self._read_at = -math.inf
        self._families: list[Metric] = []

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            if time.monotonic() - self._read_at >= self._max_age:
                self._families = self._read()
                self._read_at = time.monotonic()
            families = self._families
        yield from families

    def _read(self) -> list[Metric]:
        try:
            with Session(self._reader) as session:
                states = queue.status_counts(session)
                checked, partial = queue.checked_count(session), queue.partial_count(session)
                verdicts = session.exec(
                    select(CheckRow.verdict, ClaimRow.kind, func.count())
                    .join(ClaimRow, col(ClaimRow.id) == col(CheckRow.claim_id))
                    .group_by(CheckRow.verdict, ClaimRow.kind)
                ).all()
                feeds = feed_store.fetch_stats(session)
        except SQLAlchemyError:
            log.warning("metrics: the store is unreachable", exc_info=True)
            return []
        depth = GaugeMetricFamily("newsclaims_queue_depth", "Articles per state.", labels=["state"])
        for state, n in states.items():
            depth.add_metric([state], n)
        processed = CounterMetricFamily(
            "newsclaims_articles_processed",
            "Articles done with their whole text (checked); partial ones are counted apart.",
            value=checked,
        )
        kept_partial = GaugeMetricFamily(
            "newsclaims_articles_partial",
            "Articles kept partial (paywall, teaser or no page): their summary only.",
            value=partial,
        )
        by_verdict = GaugeMetricFamily(
            "newsclaims_verdicts",
            "Checked claims per verdict and kind.",
            labels=["verdict", "kind"],
        )
        for verdict, kind, n in verdicts:
            by_verdict.add_metric([verdict or "not_checked", kind], n)
        return [depth, processed, kept_partial, by_verdict, *feed_families(feeds)]


def feed_families(feeds: list[FeedFetches]) -> list[Metric]:
    """Per feed: pages fetched, failed fetches, partial articles, and its last error (a gauge of
    1 labelled with the error's first 120 characters; none when the feed is clean)."""
    names = {
        "fetches": ("newsclaims_feed_fetches", "Article pages fetched from the feed's links."),
        "failures": ("newsclaims_feed_fetch_failures", "Fetches of its links that failed."),
        "partial": ("newsclaims_feed_partial_articles", "Its articles kept partial (paywall, "
                    "teaser or no page): not counted as checked."),
    }  # fmt: skip
    families = []
    for field_name, (name, help_text) in names.items():
        family = GaugeMetricFamily(name, help_text, labels=["feed"])
        for feed in feeds:
            family.add_metric([feed.url], getattr(feed, field_name))
        families.append(family)
    errors = GaugeMetricFamily(
        "newsclaims_feed_last_error", "The feed's last error (label).", labels=["feed", "error"]
    )
    for feed in feeds:
        if feed.last_error:
            errors.add_metric([feed.url, feed.last_error[:120]], 1)
    return [*families, errors]


class Metrics:
    """One app's registry (not the process-global one: tests build many apps)."""

    def __init__(self, reader: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "newsclaims_http_requests", "HTTP requests.", ["method", "route", "status"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "newsclaims_http_request_duration_seconds", "HTTP request latency.",
            ["method", "route"], buckets=BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.store = StoreCollector(reader)
        self.registry.register(self.store)


class MetricsMiddleware:
    """Pure ASGI middleware: count and time every HTTP request by its route's path template."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = [500]

        async def send_status(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            seconds = time.perf_counter() - began
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.requests.labels(method, route, str(status[0])).inc()
            self.metrics.latency.labels(method, route).observe(seconds)
            if access.isEnabledFor(logging.INFO):
                access.info(
                    "%s %s %d", method, scope["path"], status[0],
                    extra={"method": method, "path": scope["path"], "route": route,
                           "status": status[0], "ms": round(seconds * 1000, 2)},
                )  # fmt: skip
