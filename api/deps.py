"""Dependencies: the app's services, sessions (read and write), and ``require_role``.

Reads go through their own engine: on SQLite the store's engine starts every transaction with
BEGIN IMMEDIATE (store/db.py), which would make every GET queue behind the worker's writes.
A key is looked up in the database at most every KEY_CACHE_SECONDS, and then in the thread pool,
never on the event loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.errors import Forbidden, Unauthorized
from api.metrics import Metrics
from checker.checking import Checking
from corpus.dedup import RecentArticles
from runtime.settings import Settings
from store import keys


@dataclass(frozen=True, slots=True)
class Services:
    """What create_app builds once and every request shares (on ``app.state.services``)."""

    settings: Settings
    engine: Engine  # writes (and PostgreSQL reads)
    reader: Engine  # reads
    checking: Callable[[], Checking]  # built on first use: the calendar takes a while to load
    metrics: Metrics
    # PostgreSQL: the async pool GET /v1/claims pages through (opened by the app's lifespan).
    claim_pool: AsyncConnectionPool | None = None
    # Near-duplicate matching of submissions (the same as `newsclaims ingest`); POST /v1/articles
    # runs it in the thread pool, one submission at a time (submit_lock).
    recent: RecentArticles | None = None
    submit_lock: threading.Lock = field(default_factory=threading.Lock)
    # Keys that authenticated (never unknown ones): key -> (trusted until, caller); bounded.
    known_keys: dict[str, tuple[float, Principal]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's name (or prefix) and role; anonymous for open reads."""

    name: str
    role: str


# The dependencies are ``async def``: each sync one would cost a trip through the thread pool, a
# third of a claims page's time under load (bench/api_speed.py). None of them waits on I/O but
# the key lookup, which a short cache keeps off the database; a cache miss goes to the thread pool.


def get_services(request: Request) -> Services:
    """The app's services (the pages call this directly)."""
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


async def services_dependency(request: Request) -> Services:
    return get_services(request)


ServicesDep = Annotated[Services, Depends(services_dependency)]


async def get_settings(services: ServicesDep) -> Settings:
    return services.settings


async def get_session(services: ServicesDep) -> AsyncIterator[Session]:
    """A session for writes; the route commits (``with session.begin()``)."""
    with Session(services.engine, autobegin=False) as session:
        yield session


async def get_read_session(services: ServicesDep) -> AsyncIterator[Session]:
    """A session on the read engine."""
    with Session(services.reader) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
bearer = HTTPBearer(auto_error=False, description="An API key: `newsclaims keys create --role`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


# Seconds a key lookup is trusted: a key revoked in another process stops working within this
# long (at once in this one: the keys route clears the cache). Chosen, not measured.
KEY_CACHE_SECONDS = 10.0
KEY_CACHE_SIZE = 10_000  # live keys held; past it the oldest entry goes (chosen, not measured)


def lookup_caller(reader: Engine, key: str) -> Principal | None:
    """The caller holding ``key`` as the database says; None for an unknown or revoked key."""
    with Session(reader) as session:
        row = keys.authenticate(session, key)
    return None if row is None else Principal(row.name or row.prefix, row.role)


async def caller_for_key(services: Services, key: str) -> Principal | None:
    """The caller holding ``key``; None for an unknown or revoked key. A cache miss asks the
    database from the thread pool (a lookup waiting on a lock, a SQLite checkpoint or a busy
    PostgreSQL, must not stop the event loop and /healthz with it); the cache is only changed
    here, on the event loop."""
    now = time.monotonic()
    cached = services.known_keys.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    principal = await run_in_threadpool(lookup_caller, services.reader, key)
    if principal is None:  # not cached: a stranger's made-up keys would fill the cache
        services.known_keys.pop(key, None)
        return None
    if key not in services.known_keys and len(services.known_keys) >= KEY_CACHE_SIZE:
        services.known_keys.pop(next(iter(services.known_keys)), None)  # the oldest entry
    services.known_keys[key] = (now + KEY_CACHE_SECONDS, principal)
    return principal


async def authorize(services: Services, key: str | None, needed: str) -> Principal:
    """The caller holding ``key``, who must hold ``needed`` or a higher role (401, 403)."""
    if key is None:
        if needed == "reader" and services.settings.open_reads:
            return Principal("anonymous", "reader")
        raise Unauthorized("an API key is needed: Authorization: Bearer KEY")
    principal = await caller_for_key(services, key)
    if principal is None:
        raise Unauthorized("unknown or revoked API key")
    if not keys.allows(principal.role, needed):
        raise Forbidden(f"this needs the {needed} role; the key has {principal.role}")
    return principal


def require_role(needed: str) -> Any:
    """A dependency: ``authorize``'s caller."""

    async def dependency(request: Request, credentials: Credentials) -> Principal:
        key = None if credentials is None else credentials.credentials
        return await authorize(get_services(request), key, needed)

    dependency.needed_role = needed  # type: ignore[attr-defined]  # read by api/guard.py
    return Depends(dependency)


def bearer_key(request: Request) -> str | None:
    """The key of an ``Authorization: Bearer KEY`` header, read as HTTPBearer reads it: for the
    hot route that checks its key without FastAPI's dependencies (GET /v1/claims)."""
    scheme, key = get_authorization_scheme_param(request.headers.get("authorization"))
    return key if scheme.lower() == "bearer" and key else None


# What ``require_role`` adds to a route's OpenAPI, for a route that calls ``authorize`` itself.
BEARER_SECURITY: dict[str, Any] = {"security": [{"HTTPBearer": []}]}


Reader = Annotated[Principal, require_role("reader")]
Submitter = Annotated[Principal, require_role("submitter")]
Reviewer = Annotated[Principal, require_role("reviewer")]
Admin = Annotated[Principal, require_role("admin")]
