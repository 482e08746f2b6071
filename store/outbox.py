"""The webhook outbox: webhooks, events written in the caller's transaction, and the deliveries
the delivery loop (alerts/delivery.py) claims and settles. Never commits: the caller owns the
transaction, so an event commits or rolls back with what it reports.

pending --claim--> pending, leased (attempts + 1, next_attempt_at = the lease's end)
   |--settle, 2xx--> delivered
   |--settle, anything else--> pending after a doubling backoff, or failed after max_attempts
   \\-- lease expired (the deliverer died mid-send) --> claimed again

A delivery is sent at least once; its event's id (a uuid4, the ``Webhook-Id`` header) lets the
receiver drop a repeat. Claims take rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL; on SQLite the engine's ``BEGIN IMMEDIATE`` serialises writers (store/db.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, get_args

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from store.tables import Webhook, WebhookAttempt, WebhookDelivery, WebhookEvent

# What a webhook can subscribe to (README "Alerts" describes each payload).
EventType = Literal["discrepancy_group.created", "review.decided", "forecast.resolved"]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
DeliveryStatus = Literal["pending", "delivered", "failed"]
PENDING: DeliveryStatus = "pending"
DELIVERED: DeliveryStatus = "delivered"
FAILED: DeliveryStatus = "failed"
MAX_ERROR = 2000  # characters of an error kept on an attempt


def add_webhook(
    session: Session, *, url: str, events: Sequence[str], secret: str, now: datetime
) -> Webhook:
    """A new webhook (the caller has checked the URL and the event types)."""
    webhook = Webhook(url=url, events=sorted(set(events)), secret=secret, created_at=now)
    session.add(webhook)
    session.flush()
    return webhook


def list_webhooks(session: Session) -> list[Webhook]:
    """Every webhook, in id order."""
    return list(session.exec(select(Webhook).order_by(col(Webhook.id))))


def remove_webhook(session: Session, webhook_id: int) -> bool:
    """Remove a webhook, its deliveries and their attempts; False when there was none."""
    webhook = session.get(Webhook, webhook_id)
    if webhook is None:
        return False
    ids = select(WebhookDelivery.id).where(WebhookDelivery.webhook_id == webhook_id)
    session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(ids)))
    session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.webhook_id) == webhook_id))
    session.delete(webhook)
    return True


def wants(session: Session, event_type: EventType) -> list[int]:
    """The webhooks subscribed to ``event_type``, in id order (a handful: read whole)."""
    return [w.id for w in list_webhooks(session) if event_type in w.events and w.id is not None]


def emit(
    session: Session,
    event_type: EventType,
    data: dict[str, Any],
    *,
    now: datetime,
    webhooks: Sequence[int] | None = None,
) -> str | None:
    """Write an event and a pending delivery for each webhook subscribed to its type, in the
    caller's transaction; the event's id, or None when no webhook wants it (nothing written)."""
    targets = wants(session, event_type) if webhooks is None else list(webhooks)
    if not targets:
        return None
    event = WebhookEvent(id=str(uuid.uuid4()), type=event_type, payload=data, created_at=now)
    session.add(event)
    session.flush()  # the event before its deliveries (their foreign key)
    session.add_all(
        WebhookDelivery(event_id=event.id, webhook_id=w, next_attempt_at=now) for w in targets
    )
    session.flush()
    return event.id


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery leased to one deliverer: where to send what, and the lease's token."""

    delivery_id: int
    attempt: int  # this attempt's number, from 1
    token: str
    url: str
    secret: str
    event_id: str
    event_type: str
    data: dict[str, Any]
    created_at: datetime


def claim_due(
    session: Session, *, now: datetime, lease_seconds: float, limit: int = 10
) -> list[Claimed]:
    """Lease up to ``limit`` due deliveries (pending, and their time has come), oldest first:
    each counts an attempt and is not due again before the lease ends."""
    due = (
        select(WebhookDelivery.id)
        .where(col(WebhookDelivery.status) == PENDING, col(WebhookDelivery.next_attempt_at) <= now)
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = [i for i in session.exec(due).all() if i is not None]
    if not ids:
        return []
    token = uuid.uuid4().hex
    session.execute(
        update(WebhookDelivery)
        .where(col(WebhookDelivery.id).in_(ids))
        .values(
            attempts=col(WebhookDelivery.attempts) + 1,
            lease_token=token,
            next_attempt_at=now + timedelta(seconds=lease_seconds),
        )
    )
    rows = session.exec(
        select(WebhookDelivery, WebhookEvent, Webhook)
        .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
        .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
        .where(col(WebhookDelivery.id).in_(ids))
        .order_by(col(WebhookDelivery.id))
    )
    return [
        Claimed(d.id or 0, d.attempts, token, w.url, w.secret, e.id, e.type, e.payload,
                e.created_at)
        for d, e, w in rows
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one POST came to: the receiver's status code, or the error that stopped it."""

    status_code: int | None
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        """The receiver took it (2xx)."""
        return self.status_code is not None and 200 <= self.status_code < 300


def settle(
    session: Session,
    claimed: Claimed,
    outcome: Outcome,
    *,
    now: datetime,
    max_attempts: int,
    retry_seconds: float,
    sent_at: datetime | None = None,
) -> str | None:
    """Move a delivery on (delivered, pending after a doubling backoff, or failed) and record
    the attempt (``sent_at``: when the POST began, else ``now``); the new status, or None when
    the lease was lost (another deliverer took the delivery over, or its webhook was removed):
    then nothing is written."""
    error = None if outcome.error is None else outcome.error[:MAX_ERROR]
    status = DELIVERED if outcome.ok else FAILED if claimed.attempt >= max_attempts else PENDING
    backoff = timedelta(seconds=retry_seconds * 2 ** (claimed.attempt - 1))
    values: dict[str, Any] = {"status": status, "lease_token": None, "last_error": error}
    values |= {"last_status": outcome.status_code, "next_attempt_at": now + backoff}
    if outcome.ok:
        values["delivered_at"] = now
    result = session.execute(
        update(WebhookDelivery)
        .where(
            col(WebhookDelivery.id) == claimed.delivery_id,
            col(WebhookDelivery.lease_token) == claimed.token,
        )
        .values(**values)
    )
    if getattr(result, "rowcount", 0) != 1:
        return None
    session.add(
        WebhookAttempt(
            delivery_id=claimed.delivery_id, attempt=claimed.attempt, sent_at=sent_at or now,
            status_code=outcome.status_code, error=error, seconds=outcome.seconds,
        )
    )  # fmt: skip
    return status


def deliveries(
    session: Session, webhook_id: int, *, after: int | None = None, limit: int = 50
) -> list[tuple[WebhookDelivery, str, list[WebhookAttempt]]]:
    """A webhook's deliveries, newest first, each with its event's type and its attempts."""
    statement = (
        select(WebhookDelivery, WebhookEvent.type)
        .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
        .where(col(WebhookDelivery.webhook_id) == webhook_id)
        .order_by(col(WebhookDelivery.id).desc())
        .limit(limit)
    )
    if after is not None:
        statement = statement.where(col(WebhookDelivery.id) < after)
    rows = list(session.exec(statement))
    ids = [d.id for d, _ in rows]
    attempts = session.exec(
        select(WebhookAttempt)
        .where(col(WebhookAttempt.delivery_id).in_(ids))
        .order_by(col(WebhookAttempt.id))
    )
    by_delivery: dict[int, list[WebhookAttempt]] = {}
    for attempt in attempts:
        by_delivery.setdefault(attempt.delivery_id, []).append(attempt)
    return [(d, t, by_delivery.get(d.id or 0, [])) for d, t in rows]


def prune(session: Session, *, before: datetime) -> int:
    """Delete the events made before ``before`` that no delivery still waits on, with their
    deliveries and attempts (delivered and failed ones: the history the API lists); the number
    of events removed. Pending deliveries and their events stay, whatever their age."""
    waiting = select(WebhookDelivery.event_id).where(col(WebhookDelivery.status) == PENDING)
    expired = col(WebhookEvent.created_at) < before, col(WebhookEvent.id).not_in(waiting)
    old = list(session.exec(select(WebhookEvent.id).where(*expired)))
    for chunk in (old[i : i + 500] for i in range(0, len(old), 500)):  # bound the IN lists
        settled = select(WebhookDelivery.id).where(col(WebhookDelivery.event_id).in_(chunk))
        session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(settled)))
        session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.event_id).in_(chunk)))
        session.execute(delete(WebhookEvent).where(col(WebhookEvent.id).in_(chunk)))
    return len(old)
