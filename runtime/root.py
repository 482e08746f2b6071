"""``Root``: the one place that builds the service's objects from the Settings.

The CLI, ``api.app.create_app`` and the worker take what they need from a ``Root``: the engine
(``store`` once its schema is checked), the spaCy pipeline, the NYSE calendar, the price source
claims are checked against, and the worker's, HTTP client's and near-duplicate matcher's options.
Each is built on first use and kept, so a command pays only for what it uses; for the same reason
each is imported where it is built (``newsclaims extract`` never loads the database, HTTP or
Yahoo modules; bench/cli_start.py measures it). A root's objects are not shared between threads
or processes that work apart: the in-process worker of ``newsclaims serve`` and each worker
process build their own ``Root`` from the same settings. Tests pass the parts they fake.
"""

from __future__ import annotations

import functools
import threading
from contextlib import ExitStack
from functools import cached_property
from typing import TYPE_CHECKING

from runtime.settings import Settings

if TYPE_CHECKING:
    from datetime import date, datetime

    from spacy.language import Language
    from sqlalchemy import Engine

    from alerts.delivery import DeliveryOptions, DeliveryTally
    from checker import PriceSource
    from checker.calendar import NyseCalendar
    from checker.checking import Checking
    from corpus.dedup import RecentArticles
    from corpus.feed_polling import FeedPolling
    from corpus.fetching import ArticleFetching
    from corpus.http import HttpClient, HttpOptions
    from corpus.pool import ExtractFn, ExtractorPool
    from corpus.worker import Tally, WorkerOptions
    from extractor import Extraction


class Root:
    """The service's objects for one set of settings, each built when first asked for."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        prices: PriceSource | None = None,
        nlp: Language | None = None,
    ) -> None:
        self.settings = settings
        for name, given in (("engine", engine), ("prices", prices), ("nlp", nlp)):
            if given is not None:
                self.__dict__[name] = given  # what cached_property would have built

    @classmethod
    def from_env(cls) -> Root:
        """A root over the NEWSCLAIMS_* environment (the CLI's)."""
        return cls(Settings())

    @cached_property
    def engine(self) -> Engine:
        """The configured database's engine, as it is (``newsclaims db upgrade`` migrates it)."""
        from store import db

        return db.make_engine(self.settings.database_url)

    @cached_property
    def store(self) -> Engine:
        """The engine once its schema is usable: SQLite is upgraded, PostgreSQL must be at head
        (store.errors.SchemaOutdated otherwise)."""
        from store import db

        db.ensure_schema(self.engine)
        return self.engine

    @cached_property
    def calendar(self) -> NyseCalendar:
        """The NYSE trading calendar, its sessions cached under NEWSCLAIMS_DATA_DIR/cache."""
        from checker.calendar import cached_calendar

        return cached_calendar(self.settings.data_dir / "cache")

    @cached_property
    def nlp(self) -> Language:
        """The extractor pipeline: the configured model, the instrument reference in
        NEWSCLAIMS_DATA_DIR and the NYSE calendar."""
        from corpus import instruments
        from extractor import build_nlp

        lexicon = instruments.load_lexicon(self.settings.data_dir)
        return build_nlp(lexicon, calendar=self.calendar, model=self.settings.model)

    @cached_property
    def prices(self) -> PriceSource:
        """Where checks read prices: NEWSCLAIMS_PRICES_DIR's CSVs if set, else the price table,
        read through to Yahoo Finance unless NEWSCLAIMS_ONLINE_PRICES=false."""
        if self.settings.prices_dir is not None:
            from marketdata.providers.csv import load_prices_dir

            return load_prices_dir(self.settings.prices_dir)
        from marketdata.providers.yahoo import ReadThroughPrices, YahooPrices
        from marketdata.table import DbPrices

        table = DbPrices(self.store)
        if not self.settings.online_prices:
            return table
        online = YahooPrices(
            min_interval=self.settings.online_min_interval,
            timeout=self.settings.online_timeout,
            retry_seconds=self.settings.online_retry_seconds,
        )
        return ReadThroughPrices(
            table, online, refresh_seconds=self.settings.online_refresh_seconds
        )

    def checking(self) -> Checking:
        """The price source and calendar claims are checked with."""
        from checker.checking import Checking

        return Checking(self.prices, self.calendar)

    def recent(self) -> RecentArticles:
        """A near-duplicate matcher (NEWSCLAIMS_DEDUP_WINDOW and _THRESHOLD); one per caller."""
        from corpus.dedup import RecentArticles

        settings = self.settings
        return RecentArticles(window=settings.dedup_window, threshold=settings.dedup_threshold)

    def http_options(self) -> HttpOptions:
        """The outbound client's options (the address guard's exemptions, the fetch deadline)."""
        from corpus.http import HttpOptions, user_agent

        settings = self.settings
        return HttpOptions(
            allow_loopback=settings.http_allow_loopback,
            allow_private=settings.http_allow_private,
            deadline=settings.http_deadline,
            user_agent=user_agent(settings.fetch_contact_url),
        )

    def webhook_http_options(self) -> HttpOptions:
        """The outbound client's options for webhooks: the same address guard as feeds, each
        POST held to NEWSCLAIMS_WEBHOOK_TIMEOUT."""
        from dataclasses import replace

        deadline = self.settings.webhook_timeout
        return replace(self.http_options(), deadline=deadline, timeout=min(10.0, deadline))

    def delivery_options(self, *, drain: bool) -> DeliveryOptions:
        """The webhook deliverer's knobs from the settings."""
        from alerts.delivery import DeliveryOptions

        settings = self.settings
        return DeliveryOptions(
            max_attempts=settings.webhook_max_attempts,
            retry_seconds=settings.webhook_retry_seconds,
            lease_seconds=settings.webhook_lease_seconds,
            poll_seconds=settings.poll_seconds,
            drain=drain,
        )

    def run_deliverer(self, stop: threading.Event, *, drain: bool) -> DeliveryTally:
        """The webhook delivery loop on the store until ``stop`` is set (or, draining, until no
        delivery is due), through the guarded outbound client."""
        from alerts.delivery import run
        from corpus.http import HttpClient

        with HttpClient(self.webhook_http_options()) as client:
            return run(self.store, client, options=self.delivery_options(drain=drain), stop=stop)

    def feed_polling(self, client: HttpClient) -> FeedPolling:
        """How feeds are polled through ``client``: entries are queued as `ingest` queues files."""
        from corpus.feed_polling import FeedPolling

        settings = self.settings
        return FeedPolling(
            client, max_bytes=settings.max_article_bytes, recent=self.recent(),
            follow_links=settings.fetch_articles,
        )  # fmt: skip

    def article_fetching(self, client: HttpClient) -> ArticleFetching:
        """The fetch stage through ``client``: politeness per host, the queue's retries."""
        from corpus.fetching import ArticleFetching, FetchOptions

        settings = self.settings
        options = FetchOptions(
            concurrency=settings.fetch_concurrency, max_attempts=settings.max_attempts,
            retry_seconds=settings.retry_seconds, lease_seconds=settings.lease_seconds,
            max_bytes=settings.max_article_bytes,
        )  # fmt: skip
        return ArticleFetching.build(
            client, self.store, interval=settings.fetch_host_interval, options=options,
            recent=self.recent(),
        )  # fmt: skip

    def worker_options(self, *, drain: bool) -> WorkerOptions:
        """The worker's knobs from the settings."""
        from corpus.worker import WorkerOptions

        settings = self.settings
        return WorkerOptions(
            batch_size=settings.batch_size,
            lease_seconds=settings.lease_seconds,
            max_attempts=settings.max_attempts,
            retry_seconds=settings.retry_seconds,
            poll_seconds=settings.poll_seconds,
            drain=drain,
        )

    def extractor_pool(self) -> ExtractorPool:
        """NEWSCLAIMS_EXTRACT_PROCESSES children, each article under
        NEWSCLAIMS_ARTICLE_TIMEOUT_SECONDS; each builds the pipeline (``child_extractor``)."""
        from corpus.pool import ExtractorPool

        settings = self.settings
        return ExtractorPool(
            functools.partial(child_extractor, settings),
            size=settings.extract_processes,
            timeout=settings.article_timeout_seconds,
        )

    def run_worker(self, stop: threading.Event, *, drain: bool, poll_feeds: bool) -> Tally:
        """A worker on the store until ``stop`` is set (or, draining, the queue is empty); with
        ``poll_feeds`` and NEWSCLAIMS_POLL_FEEDS it polls the due feeds between batches. It
        extracts in an ``extractor_pool`` (in this process when NEWSCLAIMS_EXTRACT_PROCESSES=0)."""
        from corpus.http import HttpClient
        from corpus.worker import run

        options, checking = self.worker_options(drain=drain), self.checking()
        with ExitStack() as stack:
            feeds, pool, fetching = None, None, None
            client = stack.enter_context(HttpClient(self.http_options()))
            if poll_feeds and self.settings.poll_feeds:
                feeds = self.feed_polling(client)
            if self.settings.fetch_articles:
                fetching = self.article_fetching(client)
            if self.settings.extract_processes > 0:
                pool = stack.enter_context(self.extractor_pool())
            nlp = self.nlp if pool is None else None
            return run(
                self.store, nlp, options=options, stop=stop, checking=checking, feeds=feeds,
                pool=pool, fetching=fetching,
            )  # fmt: skip


def child_extractor(settings: Settings) -> ExtractFn:
    """An extraction process's extract function: the pipeline of ``Root(settings)``, loaded once
    (module level, so spawned processes can unpickle it)."""
    return functools.partial(_extract, Root(settings).nlp)


def _extract(nlp: Language, text: str, published: date | datetime | None) -> Extraction:
    from extractor import extract

    return extract(text, nlp=nlp, published=published)
