"""The delivery loop: claim a due delivery (a transaction of its own, committed), POST it with
no transaction open, record the outcome in a new transaction (store/outbox.py ``settle``).

A deliverer killed between the claim and the record leaves the delivery leased; when the lease
ends any deliverer sends it again, and the receiver drops the repeat by its ``Webhook-Id``. An
event is never lost: it was committed with what it reports. ``run`` serves ``newsclaims serve``
(beside the worker) and ``newsclaims webhooks deliver``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from alerts import signing
from corpus.errors import FetchError
from corpus.http import HttpClient
from store import outbox
from store.clock import utc_now
from store.outbox import Claimed, Outcome

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """How deliveries are retried and leased (the NEWSCLAIMS_WEBHOOK_* settings)."""

    max_attempts: int = 8
    retry_seconds: float = 30.0  # before the 2nd attempt; doubles with each one after
    lease_seconds: float = 60.0  # longer than one POST may take (the client's deadline)
    poll_seconds: float = 1.0
    drain: bool = False  # return once no delivery is due (those waiting out a backoff stay)


@dataclass(slots=True)
class DeliveryTally:
    """What one deliverer did."""

    attempts: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0  # leases that ended before the outcome was recorded


def body(claimed: Claimed) -> bytes:
    """The JSON a receiver gets: the event's id, type, time and data."""
    event = {
        "id": claimed.event_id, "type": claimed.event_type,
        "created_at": claimed.created_at.isoformat(), "data": claimed.data,
    }  # fmt: skip
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def headers(claimed: Claimed, content: bytes, *, timestamp: int) -> dict[str, str]:
    """The POST's headers: the event's id and type, and its signature."""
    return {
        "Content-Type": "application/json",
        "Webhook-Id": claimed.event_id,
        "Webhook-Timestamp": str(timestamp),
        "Newsclaims-Event": claimed.event_type,
        signing.HEADER: signing.header(claimed.secret, timestamp, content),
    }


def send(client: HttpClient, claimed: Claimed, *, timestamp: int) -> Outcome:
    """POST one delivery; a 2xx is success, any other status or a FetchError a failed attempt."""
    content = body(claimed)
    started = time.monotonic()
    try:
        fetched = client.post(
            claimed.url, content, headers=headers(claimed, content, timestamp=timestamp)
        )
    except FetchError as err:
        return Outcome(None, str(err), time.monotonic() - started)
    elapsed = time.monotonic() - started
    error = None if 200 <= fetched.status < 300 else f"HTTP {fetched.status}"
    return Outcome(fetched.status, error, elapsed)


def deliver_one(
    engine: Engine, client: HttpClient, *, options: DeliveryOptions, clock: Clock,
    tally: DeliveryTally,
) -> bool:  # fmt: skip
    """Claim, send and settle the next due delivery; False when none was due."""
    with Session(engine) as session, session.begin():
        claimed = outbox.claim_due(
            session, now=clock(), lease_seconds=options.lease_seconds, limit=1
        )
    if not claimed:
        return False
    [delivery] = claimed
    sent_at = clock()
    outcome = send(client, delivery, timestamp=int(sent_at.timestamp()))
    with Session(engine) as session, session.begin():
        status = outbox.settle(
            session, delivery, outcome, now=clock(), max_attempts=options.max_attempts,
            retry_seconds=options.retry_seconds, sent_at=sent_at,
        )  # fmt: skip
    _count(tally, status)
    if not outcome.ok:
        log.warning("webhook %s (event %s) attempt %d: %s", delivery.url, delivery.event_id,
                    delivery.attempt, outcome.error)  # fmt: skip
    return True


def _count(tally: DeliveryTally, status: str | None) -> None:
    tally.attempts += 1
    if status is None:
        tally.lost += 1
    elif status == outbox.DELIVERED:
        tally.delivered += 1
    elif status == outbox.FAILED:
        tally.failed += 1
    else:
        tally.retried += 1


def run(
    engine: Engine,
    client: HttpClient,
    *,
    options: DeliveryOptions,
    stop: threading.Event | None = None,
    clock: Clock = utc_now,
) -> DeliveryTally:
    """Deliver until ``stop`` is set or, draining, until no delivery is due."""
    stop = stop or threading.Event()
    tally = DeliveryTally()
    while not stop.is_set():
        if deliver_one(engine, client, options=options, clock=clock, tally=tally):
            continue
        if options.drain:
            break
        stop.wait(options.poll_seconds)
    return tally
