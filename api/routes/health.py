"""Health and metrics: /healthz (the process answers), /readyz (database reachable, schema at
head, the in-process worker of `serve` running), Prometheus /metrics (requests, latency, queue
depth, articles processed, verdicts)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError

from api.deps import ServicesDep
from runtime.supervisor import Supervisor
from store import db

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Not ready: the reason is given."}})
def readyz(services: ServicesDep, request: Request, response: Response) -> dict[str, str]:
    """The database answers, its schema is at the newest migration and the threads `serve` runs
    beside the API (``app.state.supervisors``: the worker, the webhook deliverer) are up."""
    for thread in getattr(request.app.state, "supervisors", ()):
        if isinstance(thread, Supervisor) and not thread.up:
            response.status_code = 503
            return {"status": "unavailable", "detail": thread.detail}
    try:
        current = db.current_revision(services.reader)
    except SQLAlchemyError as err:
        response.status_code = 503
        return {"status": "unavailable", "detail": f"database unreachable: {type(err).__name__}"}
    head = db.head_revision()
    if current != head:
        response.status_code = 503
        return {"status": "unavailable", "detail": f"schema at {current}, not {head}"}
    return {"status": "ok", "revision": head or ""}


@router.get("/metrics", include_in_schema=False)
def metrics(services: ServicesDep) -> Response:
    """Prometheus text format."""
    registry = services.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
