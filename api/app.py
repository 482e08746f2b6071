"""``create_app(root)``: the JSON API under /v1, the review pages, health and metrics.

Nothing is built at import time; the engine, prices and calendar come from a ``runtime.root.Root``
(tests call ``create_app(Root(test_settings, engine=..., prices=...))``). On SQLite an empty or
older database is upgraded here; a PostgreSQL one is left alone (``newsclaims db upgrade``) and
/readyz answers 503 until it is at head.
"""

from __future__ import annotations

import functools
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from starlette.middleware.sessions import SessionMiddleware

from api import errors, pages
from api.deps import Services
from api.guard import BodyLimit
from api.metrics import Metrics, MetricsMiddleware
from api.routes import (
    articles,
    claims,
    feeds,
    health,
    keys,
    prices,
    quotes,
    reviews,
    tickers,
    webhooks,
)
from runtime.root import Root
from store import db

ROUTERS = (articles, claims, quotes, tickers, reviews, feeds, prices, keys, webhooks)
# Milliseconds a read waits for a SQLite lock (only a checkpoint takes one against readers in WAL).
READ_BUSY_MS = 5_000
# Connections kept for reads: anyio's default thread pool runs 40 sync endpoints at once; beyond
# this many concurrent reads, overflow connections are opened and closed per request (bench: an
# 8-connection load on a pool of 5 spent most of its time connecting).
READ_POOL = 20
METRICS = "/metrics"  # api/routes/health.py
POOL_WAIT = 5.0  # seconds a request waits for a pooled PostgreSQL connection before a 503


def create_app(root: Root) -> FastAPI:
    """The service over ``root``'s engine; claims are checked with its prices and calendar."""
    settings, engine = root.settings, root.engine
    if db.is_sqlite(engine):
        db.upgrade(engine)
    reader = read_engine(engine)
    services = Services(
        settings=settings,
        engine=engine,
        reader=reader,
        checking=functools.cache(root.checking),  # on first use: the calendar takes a while
        metrics=Metrics(reader),
        claim_pool=None
        if db.is_sqlite(engine)
        else claim_pool(engine, settings.api_pg_connections),
        recent=root.recent(),
    )
    app = FastAPI(
        title="newsclaims",
        summary="Claims in market commentary, checked against market data.",
        version="1",
        docs_url="/docs",
        lifespan=functools.partial(lifespan, services=services),
    )
    app.state.services = services
    errors.install(app)
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(health_router(metrics=settings.metrics))
    app.include_router(pages.router)
    secret = settings.session_secret or secrets.token_urlsafe(32)
    app.add_middleware(SessionMiddleware, secret_key=secret, same_site="strict", https_only=False)
    app.add_middleware(MetricsMiddleware, metrics=services.metrics)
    app.add_middleware(BodyLimit, max_bytes=settings.max_submit_bytes)  # added last: outermost
    return app


def health_router(*, metrics: bool) -> APIRouter:
    """api/routes/health.py's routes, /metrics among them only when ``metrics`` (it answers
    anyone who asks: NEWSCLAIMS_METRICS)."""
    router = APIRouter()
    router.routes.extend(
        r for r in health.router.routes if metrics or getattr(r, "path", "") != METRICS
    )
    return router


@asynccontextmanager
async def lifespan(_: FastAPI, *, services: Services) -> AsyncIterator[None]:
    """Opens the PostgreSQL claims pool on startup (connecting in the background: a database
    that is down makes /readyz fail, not the start) and closes it on shutdown."""
    if services.claim_pool is None:
        yield
        return
    await services.claim_pool.open()
    try:
        yield
    finally:
        await services.claim_pool.close()


def claim_pool(engine: Engine, size: int) -> AsyncConnectionPool:
    """The async pool of GET /v1/claims on PostgreSQL (store/claim_pages.py); a request waits
    at most POOL_WAIT seconds for a connection (then 503)."""
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return AsyncConnectionPool(
        url, min_size=size, max_size=size, open=False, timeout=POOL_WAIT,
        kwargs={"autocommit": True}, name="claims",
    )  # fmt: skip


def read_engine(engine: Engine) -> Engine:
    """The engine of reads: a pool as large as the thread pool that serves requests, so a busy
    API never opens and closes connections per request; on SQLite without BEGIN IMMEDIATE and
    refusing writes."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    if not db.is_sqlite(engine):
        # Autocommit and no pre-ping: a read is then one round trip instead of four (BEGIN, ping,
        # query, ROLLBACK). A connection the server dropped fails one request and the pool is
        # invalidated (SQLAlchemy's disconnect handling); the next one reconnects.
        return create_engine(
            url, pool_size=READ_POOL, max_overflow=READ_POOL, isolation_level="AUTOCOMMIT"
        )
    reader = create_engine(
        url, pool_size=READ_POOL, max_overflow=READ_POOL,
        connect_args={"timeout": READ_BUSY_MS / 1000, "check_same_thread": False},
    )  # fmt: skip
    event.listen(reader, "connect", _read_only)
    return reader


def _read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (f"busy_timeout={READ_BUSY_MS}", "query_only=ON", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and any ``extra`` fields."""

    SKIP = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {k: v for k, v in record.__dict__.items() if k not in self.SKIP}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """Structured logs on stderr for the whole process (uvicorn's included)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("alembic").setLevel(logging.WARNING)
