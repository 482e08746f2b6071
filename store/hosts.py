"""Fetch politeness shared by every process: one ``fetch_hosts`` row per host (migration 0011).

A row holds the host's next free request slot, its consecutive failures and the hold a server
asked for (Retry-After) or its errors earned (backoff), and its robots.txt as last read (status,
body, validators, Crawl-delay, when). ``claim`` books the host's next slot with a conditional
UPDATE (``WHERE next_at <= now``) on the locked row (PostgreSQL: ``SELECT ... FOR UPDATE`` in a
transaction of three statements; SQLite: the engine's BEGIN IMMEDIATE serialises claims). So
workers in any number of processes (serve, ``newsclaims worker``) ask one host at most once per
interval.
Times are the callers' wall clocks (UTC): processes on several machines need synchronised
clocks. Never commits: the caller owns the transaction and keeps it short (never across a fetch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Column, CursorResult, Text, update
from sqlmodel import Field, Session, SQLModel, col, select

from store.columns import UtcDateTime
from store.queue import insert_for

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class FetchHost(SQLModel, table=True):
    """One host's politeness state: its next free slot, its hold and its robots.txt."""

    __tablename__ = "fetch_hosts"

    host: str = Field(primary_key=True)  # corpus.urls.host_of: host, and port when not default
    next_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    # A Retry-After or an error backoff: no request before this (next_at is moved too).
    held_until: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))
    failures: int = 0
    crawl_delay: float | None = None  # robots.txt's, when longer than the interval it wins
    robots_status: int | None = None  # HTTP status of the last read; None: unreachable
    robots_body: str | None = Field(default=None, sa_column=Column(Text))
    robots_etag: str | None = None
    robots_modified: str | None = None
    robots_read_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime()))


@dataclass(frozen=True, slots=True)
class RobotsRecord:
    """A host's robots.txt as last read, from any process."""

    status: int | None
    body: str
    etag: str | None
    modified: str | None
    read_at: datetime


def ensure(session: Session, host: str) -> None:
    """The host's row (free at once) unless it exists."""
    statement = insert_for(session, FetchHost).values(host=host, next_at=EPOCH, failures=0)
    session.execute(statement.on_conflict_do_nothing(index_elements=["host"]))


def _set(session: Session, host: str, *where: Any, **values: Any) -> bool:
    statement = update(FetchHost).where(col(FetchHost.host) == host, *where).values(**values)
    result = session.execute(statement)
    return isinstance(result, CursorResult) and result.rowcount == 1


@dataclass(frozen=True, slots=True)
class Claim:
    """What a claim found: booked or not, when (``now``, read with the row locked), the host's
    next free slot, and its consecutive failures."""

    booked: bool
    now: datetime
    next_at: datetime
    failures: int


def claim(session: Session, host: str, *, clock: Callable[[], datetime], interval: float) -> Claim:
    """Book the host's slot now when it is free (the next one ``interval``, or its longer
    Crawl-delay, later). The time is read once the row is locked (SQLite: the write lock
    ``ensure`` takes; PostgreSQL: FOR UPDATE), so a claim that waited for another never books
    from a stale clock."""
    ensure(session, host)
    statement = select(FetchHost.crawl_delay, FetchHost.failures, FetchHost.next_at)
    statement = statement.where(FetchHost.host == host)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    delay, failures, next_at = session.exec(statement).one()
    now = clock()
    if next_at > now:
        return Claim(False, now, next_at, failures)
    step = timedelta(seconds=max(interval, delay or 0.0))
    _set(session, host, next_at=now + step)  # the row is ours until commit
    return Claim(True, now, now + step, failures)


def push(session: Session, host: str, *, until: datetime) -> None:
    """Move the host's next slot to ``until`` unless it is later already."""
    ensure(session, host)
    _set(session, host, col(FetchHost.next_at) < until, next_at=until)


def hold(session: Session, host: str, *, until: datetime) -> None:
    """Ask the host nothing before ``until`` (a slot already later stays)."""
    push(session, host, until=until)
    _set(session, host, held_until=until)


def succeeded(session: Session, host: str) -> None:
    """The host answered: its backoff ends."""
    _set(session, host, col(FetchHost.failures) > 0, failures=0)


def failed(session: Session, host: str) -> int:
    """One more consecutive failure; how many now."""
    ensure(session, host)
    _set(session, host, failures=col(FetchHost.failures) + 1)
    return session.exec(select(FetchHost.failures).where(FetchHost.host == host)).one()


def robots(session: Session, host: str) -> RobotsRecord | None:
    """The host's robots.txt as last read; None when never read."""
    row = session.get(FetchHost, host)
    if row is None or row.robots_read_at is None:
        return None
    return RobotsRecord(row.robots_status, row.robots_body or "", row.robots_etag,
                        row.robots_modified, row.robots_read_at)  # fmt: skip


def save_robots(
    session: Session, host: str, record: RobotsRecord, *, crawl_delay: float | None
) -> None:
    """Keep what robots.txt gave, for every process."""
    ensure(session, host)
    _set(session, host, robots_status=record.status, robots_body=record.body,
         robots_etag=record.etag, robots_modified=record.modified,
         robots_read_at=record.read_at, crawl_delay=crawl_delay)  # fmt: skip
