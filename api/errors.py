"""One error body everywhere (RFC 9457 problem+json: type, title, status, detail).

ApiError                 the API's own errors, each with a status and a stable ``code``
 ├── NotFound            404  no such article, claim, feed or key
 ├── Conflict            409  the request contradicts the resource's state
 ├── BadCursor           422  a pagination cursor that this API did not hand out
 ├── BadInput            422  a field is wrong in a way the schema cannot say
 ├── Unauthorized        401  no key, or an unknown or revoked one
 ├── Forbidden           403  the key's role does not allow this
 ├── PayloadTooLarge     413  the body is over NEWSCLAIMS_MAX_SUBMIT_BYTES
 └── UnsupportedMedia    415  a Content-Type the endpoint does not take

Other packages' errors map through ``STATUS``; FastAPI's validation errors become 422 with the
fields at fault in ``errors``; anything else is a 500 whose detail hides the exception.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from starlette.exceptions import HTTPException

from checker.errors import CheckerError
from corpus.errors import BadArticle, BadUrl, BlockedAddress, CorpusError
from marketdata.errors import MarketDataError, PriceDataError
from review.errors import ClaimNotFound, DecisionRefused, ReviewError
from store.errors import SchemaOutdated, StoreError

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


class ApiError(Exception):
    """Base of the API's own errors."""

    code = "api_error"
    status = 400


class NotFound(ApiError):
    code, status = "not_found", 404


class Conflict(ApiError):
    code, status = "conflict", 409


class BadCursor(ApiError):
    code, status = "bad_cursor", 422


class BadInput(ApiError):
    code, status = "bad_input", 422


class Unauthorized(ApiError):
    code, status = "unauthorized", 401


class Forbidden(ApiError):
    code, status = "forbidden", 403


class PayloadTooLarge(ApiError):
    code, status = "payload_too_large", 413


class UnsupportedMedia(ApiError):
    code, status = "unsupported_media_type", 415


# Other packages' errors; the most specific class listed wins (checked in MRO order).
STATUS: dict[type[Exception], int] = {
    BadArticle: 422,
    BadUrl: 422,  # a feed URL that is not absolute http(s) (corpus/feed_store.py add_feed)
    BlockedAddress: 422,  # a webhook URL on a private address (alerts/targets.py)
    SchemaOutdated: 503,
    PoolTimeout: 503,  # PostgreSQL unreachable or every pooled connection busy (api/app.py)
    CorpusError: 400,
    StoreError: 400,
    ClaimNotFound: 404,
    DecisionRefused: 409,
    ReviewError: 400,
    PriceDataError: 422,
    MarketDataError: 400,
    CheckerError: 400,
}


def problem(status: int, detail: str, *, code: str | None = None, **extra: Any) -> JSONResponse:
    """The one error response."""
    title = HTTPStatus(status).phrase
    code = code or title.lower().replace(" ", "_").replace("-", "_")
    body = {"type": f"/problems/{code}", "title": title, "status": status, "detail": detail}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body | extra, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def status_of(err: Exception) -> tuple[int, str]:
    """(status, code) of an error from any package."""
    if isinstance(err, ApiError):
        return err.status, err.code
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls], str(getattr(err, "code", "error"))
    return 500, "internal_error"


async def _on_error(request: Request, err: Exception) -> JSONResponse:
    status, code = status_of(err)
    if status >= 500:
        log.exception("%s %s failed", request.method, request.url.path)
        return problem(status, "the server failed to answer; the error is logged", code=code)
    return problem(status, str(err), code=code)


async def _on_http(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, HTTPException)
    return problem(err.status_code, str(err.detail))


async def _on_validation(request: Request, err: Exception) -> JSONResponse:
    assert isinstance(err, RequestValidationError)
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
        for e in err.errors()
    ]
    fields = ", ".join(e["field"] for e in errors)
    return problem(422, f"invalid request: {fields}", code="validation_error", errors=errors)


def install(app: FastAPI) -> None:
    """Route every error through ``problem``."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(HTTPException, _on_http)
    for cls in (ApiError, CorpusError, StoreError, MarketDataError, ReviewError, CheckerError):
        app.add_exception_handler(cls, _on_error)
    app.add_exception_handler(Exception, _on_error)  # 500, from Starlette's outermost middleware
