"""Articles: submit (JSON, text/plain or text/html) and read, with their facts."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from api.deps import Reader, ReadSessionDep, Services, ServicesDep, SessionDep, Submitter
from api.errors import BadInput, NotFound, PayloadTooLarge, UnsupportedMedia
from api.guard import GuardedRoute
from api.routes import ERRORS, PAGE_SIZE, Cursor, Id, Limit, after_id, page
from api.schemas import (
    ArticleAccepted,
    ArticleCreate,
    ArticlePublic,
    ClaimPublic,
    FigurePublic,
    Page,
    QuotePublic,
    TickerPublic,
    article_public,
    claim_public,
)
from corpus import intake
from corpus.errors import LINKS_OFF, BadArticle
from corpus.sources import ArticleIn, published_fields
from corpus.sources.files import html_fragment_to_text
from store import queries
from store.clock import utc_now
from store.tables import Article, State

router = APIRouter(
    prefix="/v1/articles", tags=["articles"], responses=ERRORS, route_class=GuardedRoute
)

SUBMIT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ArticleCreate"}},
            "text/plain": {"schema": {"type": "string", "minLength": 1}},
            "text/html": {"schema": {"type": "string", "minLength": 1}},
        },
    }
}
ALREADY_KNOWN: dict[int | str, dict[str, Any]] = {
    200: {"model": ArticleAccepted, "description": "Already known: its id."}
}
SUBMIT_ERRORS: dict[int | str, dict[str, Any]] = {
    413: ERRORS[422] | {"description": "The body is over NEWSCLAIMS_MAX_SUBMIT_BYTES."},
    415: ERRORS[422] | {"description": "Not JSON, text/plain or text/html."},
}


async def read_body(request: Request, *, max_bytes: int) -> bytes:
    """The request body, refused (413) as soon as it is over ``max_bytes``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"the body is {declared} bytes; the limit is {max_bytes}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"the body is over the {max_bytes}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_article(media: str, body: bytes) -> ArticleIn:
    """The submitted article from a JSON, text/plain or text/html body."""
    if media == "application/json":
        try:
            data = ArticleCreate.model_validate(json.loads(body))
        except ValueError as err:  # bad JSON, or a ValidationError (a ValueError too)
            errors = err.errors() if isinstance(err, ValidationError) else [
                {"loc": (), "msg": f"not JSON: {err}", "type": "json_invalid"}
            ]  # fmt: skip
            raise RequestValidationError(
                [e | {"loc": ("body", *e["loc"])} for e in errors]
            ) from err
        text = data.text if data.text is not None else html_fragment_to_text(data.html or "")
        if data.text is None and data.html is None:
            text = ""  # a link alone: the worker fetches its page (``_enqueue``)
        published, published_at = published_fields(data.published)
        return ArticleIn(text, data.title, published, data.source, data.url, published_at)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadInput("the body is not UTF-8 text") from err
    return ArticleIn(html_fragment_to_text(text) if media == "text/html" else text)


@router.post(
    "",
    status_code=202,
    openapi_extra=SUBMIT_BODY,
    responses=ALREADY_KNOWN | SUBMIT_ERRORS,
)
async def submit_article(
    request: Request,
    response: Response,
    session: SessionDep,
    services: ServicesDep,
    _: Submitter,
) -> ArticleAccepted:
    """Queue an article for extraction and checking; follow ``Location`` for its state.

    A light edit of a recent article is stored and queued too, with ``duplicate_of`` naming it
    (the near-duplicate matching of `newsclaims ingest`). ``{"url": ...}`` alone queues the link:
    the worker fetches the page (state ``fetching``) and extracts its main text."""
    settings = services.settings
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in ("application/json", "text/plain", "text/html"):
        raise UnsupportedMedia(f"send application/json, text/plain or text/html, not {media!r}")
    article = parse_article(media, await read_body(request, max_bytes=settings.max_submit_bytes))
    size = len(article.text.encode("utf-8", errors="replace"))
    if size > settings.max_article_bytes:
        raise PayloadTooLarge(
            f"the text is {size} bytes; the limit is {settings.max_article_bytes}"
        )
    # In the thread pool: near-duplicate matching (rapidfuzz over the recent titles and leads)
    # and the write would otherwise hold the event loop, and every other request with it.
    result, status = await run_in_threadpool(_enqueue, session, services, article)
    location = f"/v1/articles/{result.article_id}"
    response.headers["Location"] = location
    response.status_code = 202 if result.created else 200
    return ArticleAccepted(
        id=result.article_id,
        state=status,
        created=result.created,
        location=location,
        duplicate_of=result.duplicate_of,
    )


def _enqueue(
    session: Session, services: Services, article: ArticleIn
) -> tuple[intake.Enqueued, str]:
    """Store and queue the article (one transaction); its id and state."""
    max_bytes = services.settings.max_article_bytes
    if not article.text and article.url and not services.settings.fetch_articles:
        raise BadArticle(LINKS_OFF)  # queued, it would wait for a fetch that never comes
    with services.submit_lock, session.begin():  # RecentArticles is not thread-safe
        if not article.text and article.url:  # queued work: never fetched inside the request
            result = intake.enqueue_fetch(
                session, article, url=article.url, now=utc_now(), max_bytes=max_bytes
            )
        else:
            result = intake.enqueue(
                session, article, now=utc_now(), max_bytes=max_bytes, what="body",
                recent=services.recent,
            )  # fmt: skip
        state = session.get(Article, result.article_id)
        return result, state.status if state else "queued"


@router.get("")
def list_articles(
    request: Request,
    session: ReadSessionDep,
    _: Reader,
    state: State | None = None,
    source: str | None = None,
    published_from: Annotated[date | None, Query(alias="from")] = None,
    published_to: Annotated[date | None, Query(alias="to")] = None,
    cursor: Cursor = None,
    limit: Limit = PAGE_SIZE,
) -> Page[ArticlePublic]:
    """Articles in submission order, filtered by state, source and publication date."""
    rows = queries.list_articles(
        session, state=state, source=source, published_from=published_from,
        published_to=published_to, after=after_id(cursor), limit=limit + 1,
    )  # fmt: skip
    return page(request, rows, limit=limit, item=article_public)


def _article(session: Any, article_id: Id) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"no article {article_id}")
    assert isinstance(article, Article)
    return article


@router.get("/{article_id}")
def read_article(article_id: Id, session: ReadSessionDep, _: Reader) -> ArticlePublic:
    """An article's state (queued, processing, done, failed), its error and its fact counts."""
    article = _article(session, article_id)
    return article_public(article, queries.article_counts(session, article_id))


@router.get("/{article_id}/claims")
def article_claims(
    request: Request, article_id: Id, session: ReadSessionDep, _: Reader,
    cursor: Cursor = None, limit: Limit = PAGE_SIZE,
) -> Page[ClaimPublic]:  # fmt: skip
    """The article's claims with their verdicts."""
    _article(session, article_id)
    filters = queries.ClaimFilter(article_id=article_id)
    rows = queries.list_claims(session, filters, after=after_id(cursor), limit=limit + 1)
    return page(request, rows, limit=limit, item=claim_item, key=claim_key)


def claim_item(row: queries.ClaimWithCheck) -> ClaimPublic:
    return claim_public(*row)


def claim_key(row: queries.ClaimWithCheck) -> list[int | None]:
    return [row[0].id]


def _facts(
    request: Request, session: Any, article_id: Id, kind: str, cursor: str | None, limit: int
) -> Any:
    _article(session, article_id)
    rows = queries.article_facts(session, article_id, kind, after=after_id(cursor), limit=limit + 1)
    models: dict[str, type[BaseModel]] = {
        "figures": FigurePublic, "quotes": QuotePublic, "tickers": TickerPublic
    }  # fmt: skip
    model = models[kind]
    return page(request, rows, limit=limit, item=model.model_validate)


@router.get("/{article_id}/figures")
def article_figures(
    request: Request, article_id: Id, session: ReadSessionDep, _: Reader,
    cursor: Cursor = None, limit: Limit = PAGE_SIZE,
) -> Page[FigurePublic]:  # fmt: skip
    """The article's figures (numbers with units)."""
    result: Page[FigurePublic] = _facts(request, session, article_id, "figures", cursor, limit)
    return result


@router.get("/{article_id}/quotes")
def article_quotes(
    request: Request, article_id: Id, session: ReadSessionDep, _: Reader,
    cursor: Cursor = None, limit: Limit = PAGE_SIZE,
) -> Page[QuotePublic]:  # fmt: skip
    """The article's attributed quotes."""
    result: Page[QuotePublic] = _facts(request, session, article_id, "quotes", cursor, limit)
    return result


@router.get("/{article_id}/tickers")
def article_tickers(
    request: Request, article_id: Id, session: ReadSessionDep, _: Reader,
    cursor: Cursor = None, limit: Limit = PAGE_SIZE,
) -> Page[TickerPublic]:  # fmt: skip
    """The instruments the article mentions, with the offsets of each mention."""
    result: Page[TickerPublic] = _facts(request, session, article_id, "tickers", cursor, limit)
    return result
