"""Webhooks (admin): register (the secret is shown once), list, read, remove, and a webhook's
deliveries with their attempts. The outbox is store/outbox.py; alerts/ sends it."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response

from alerts.targets import check_target
from api.deps import Admin, ReadSessionDep, SessionDep, SettingsDep
from api.errors import NotFound
from api.guard import GuardedRoute
from api.routes import ERRORS, PAGE_SIZE, Cursor, Id, Limit, after_id, page
from api.schemas import (
    AttemptPublic,
    DeliveryPublic,
    Page,
    WebhookCreate,
    WebhookCreated,
    WebhookPublic,
)
from store import outbox
from store.clock import utc_now
from store.tables import Webhook, WebhookAttempt, WebhookDelivery

router = APIRouter(
    prefix="/v1/webhooks", tags=["webhooks"], responses=ERRORS, route_class=GuardedRoute
)


@router.post("", status_code=201)
def add_webhook(
    body: WebhookCreate, response: Response, session: SessionDep, settings: SettingsDep, _: Admin
) -> WebhookCreated:
    """Register a webhook; the answer is the only one holding its secret. A URL that is not
    absolute http(s), or on a private or loopback address, is a 422 (api/errors.py)."""
    url = check_target(
        body.url,
        allow_loopback=settings.http_allow_loopback,
        allow_private=settings.http_allow_private,
    )
    secret = body.secret or f"whsec_{secrets.token_urlsafe(32)}"
    with session.begin():
        row = outbox.add_webhook(session, url=url, events=body.events, secret=secret, now=utc_now())
        created = WebhookCreated.model_validate(row)
    response.headers["Location"] = f"/v1/webhooks/{created.id}"
    return created


@router.get("")
def list_webhooks(session: ReadSessionDep, _: Admin) -> list[WebhookPublic]:
    """Every webhook, without its secret."""
    return [WebhookPublic.model_validate(w) for w in outbox.list_webhooks(session)]


@router.get("/{webhook_id}")
def read_webhook(webhook_id: Id, session: ReadSessionDep, _: Admin) -> WebhookPublic:
    """One webhook, without its secret."""
    return WebhookPublic.model_validate(_webhook(session, webhook_id))


@router.delete("/{webhook_id}", status_code=204)
def remove_webhook(webhook_id: Id, session: SessionDep, _: Admin) -> None:
    """Remove a webhook and its deliveries (pending ones are not sent)."""
    with session.begin():
        if not outbox.remove_webhook(session, webhook_id):
            raise NotFound(f"no webhook {webhook_id}")


@router.get("/{webhook_id}/deliveries")
def list_deliveries(
    request: Request, webhook_id: Id, session: ReadSessionDep, _: Admin,
    cursor: Cursor = None, limit: Limit = PAGE_SIZE,
) -> Page[DeliveryPublic]:  # fmt: skip
    """A webhook's deliveries, newest first, each with its attempts and their status codes."""
    _webhook(session, webhook_id)
    rows = outbox.deliveries(session, webhook_id, after=after_id(cursor), limit=limit + 1)
    return page(request, rows, limit=limit, item=_delivery, key=_delivery_key)


def _webhook(session: ReadSessionDep, webhook_id: int) -> Webhook:
    webhook = session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound(f"no webhook {webhook_id}")
    return webhook


def _delivery(row: tuple[WebhookDelivery, str, list[WebhookAttempt]]) -> DeliveryPublic:
    delivery, event_type, attempts = row
    log = [AttemptPublic.model_validate(a) for a in attempts]
    fields = delivery.model_dump() | {"event_type": event_type, "attempt_log": log}
    return DeliveryPublic.model_validate(fields)


def _delivery_key(row: tuple[WebhookDelivery, str, list[WebhookAttempt]]) -> list[int]:
    return [row[0].id or 0]
