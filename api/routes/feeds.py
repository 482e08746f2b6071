"""Feeds the workers poll: list, add, remove (admin). The store is corpus/feed_store.py."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import Admin, ReadSessionDep, SessionDep
from api.errors import NotFound
from api.guard import GuardedRoute
from api.routes import ERRORS, PAGE_SIZE, Cursor, Id, Limit, after_id, page
from api.schemas import FeedCreate, FeedPublic, Page
from corpus import feed_store
from store.clock import utc_now

router = APIRouter(prefix="/v1/feeds", tags=["feeds"], responses=ERRORS, route_class=GuardedRoute)


@router.get("")
def list_feeds(
    request: Request, session: ReadSessionDep, _: Admin,
    cursor: Cursor = None, limit: Limit = PAGE_SIZE,
) -> Page[FeedPublic]:  # fmt: skip
    """Feeds with their polling state."""
    rows = feed_store.list_feeds(session, after=after_id(cursor), limit=limit + 1)
    return page(request, rows, limit=limit, item=FeedPublic.model_validate)


@router.post("", status_code=201, responses={200: {"model": FeedPublic}})
def add_feed(body: FeedCreate, response: Response, session: SessionDep, _: Admin) -> FeedPublic:
    """Add a feed (201), or answer the existing one with the same URL (200).

    A URL feed_store refuses (BadUrl) is a 422, api/errors.py."""
    with session.begin():
        added = feed_store.add_feed(
            session, body.url, now=utc_now(), interval_seconds=body.interval_seconds,
            title=body.title,
        )  # fmt: skip
        feed = added.feed
    response.status_code = 201 if added.created else 200
    response.headers["Location"] = f"/v1/feeds/{feed.id}"
    return FeedPublic.model_validate(feed)


@router.delete("/{feed_id}", status_code=204)
def remove_feed(feed_id: Id, session: SessionDep, _: Admin) -> None:
    """Stop polling a feed; its articles stay."""
    with session.begin():
        if feed_store.remove_feed(session, feed_id) is None:
            raise NotFound(f"no feed {feed_id}")
