"""What a request meets before any route reads its body: a size limit and the key check.

``BodyLimit`` is the outermost ASGI middleware: a declared ``Content-Length`` over the limit is
answered 413 before a byte of the body is read; a body without one (chunked) is counted as its
``http.request`` messages arrive and refused (413) as soon as it passes the limit, so nothing
larger than the limit is ever held in memory or spooled to disk.

``GuardedRoute`` makes every route that depends on ``require_role`` check the key before the
route reads its body. FastAPI reads and parses a route's body (JSON, or multipart spooled to
disk) before it solves any dependency, so without it a stranger's bad JSON got 422, not 401, and
a stranger's upload was read in full before the 401.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from api.deps import authorize, bearer_key, get_services
from api.errors import MEDIA_TYPE


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a body passes the limit (HTTPException: FastAPI's body
    parsing re-raises it as it is instead of turning it into a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body is over the {limit}-byte limit")


class BodyLimit:
    """Pure ASGI middleware: every request body is held to ``max_bytes`` (413 above it)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            detail = f"the body is {declared} bytes; the limit is {self.max_bytes}"
            await _refuse(send, detail)
            return
        received = 0
        started = False
        whole = declared == 0 or (declared is None and not _chunked(scope))  # the body was read

        async def limited_receive() -> Any:
            nonlocal received, whole
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
                whole = whole or not message.get("more_body", False)
            return message

        async def watched_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if not whole:  # answered before the body was read (401, 413): close, or the
                    # server would read and discard the rest of it to keep the connection alive
                    message["headers"] = [*message.get("headers", ()), (b"connection", b"close")]
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge as err:  # raised where no exception handler runs (a middleware)
            if started:
                raise
            await _refuse(send, str(err.detail))


def _chunked(scope: Any) -> bool:
    """Whether the request has a body without a length (no header of either: no body)."""
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers", ()))


def _content_length(scope: Any) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


async def _refuse(send: Any, detail: str) -> None:
    """A 413 problem+json that closes the connection (the unread body is not drained)."""
    body = json.dumps(
        {"type": "/problems/payload_too_large", "title": "Content Too Large", "status": 413,
         "detail": detail}
    ).encode()  # fmt: skip
    headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GuardedRoute(APIRoute):
    """An APIRoute that checks the key of a ``require_role`` route before it reads the body
    (every router but health's uses it: ``APIRouter(route_class=GuardedRoute)``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        needed = needed_role(self.dependant)
        if needed is None:
            return handler

        async def guarded(request: Request) -> Response:
            await authorize(get_services(request), bearer_key(request), needed)
            return await handler(request)  # parses the body, then runs the dependencies

        return guarded


def needed_role(dependant: Dependant) -> str | None:
    """The role a route's ``require_role`` dependency asks for; None for an open route."""
    roles = [getattr(d.call, "needed_role", None) for d in _walk(dependant)]
    return next((r for r in roles if r is not None), None)


def _walk(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _walk(sub)
