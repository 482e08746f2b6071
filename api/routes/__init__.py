"""One APIRouter per resource; shared here: opaque keyset cursors and the page builder."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from api.errors import BadCursor
from api.schemas import Page, Problem

T = TypeVar("T")
R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)

# Default and largest page. 50 rows of claims serialise in well under a millisecond; 500 bounds
# a page to a few hundred kB however long the claims' sentences are.
PAGE_SIZE, MAX_PAGE = 50, 500
MAX_ID = 2**63 - 1  # the largest id either database stores
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")]
Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page.")]

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {"application/problem+json": {}}, "description": what}
    for status, what in (
        (401, "No API key, or an unknown one."),
        (403, "The key's role does not allow this."),
        (404, "No such resource."),
        (422, "A parameter or field is invalid (the field is named)."),
    )
}


def encode_cursor(key: Sequence[Any]) -> str:
    """The sort key of a page's last item as an opaque token."""
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(
    cursor: str | None, *, kinds: tuple[type | tuple[type, ...], ...]
) -> list[Any] | None:
    """The sort key in a cursor, its parts of ``kinds``; BadCursor for anything else."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError) as err:
        raise BadCursor("cursor is not one this API handed out") from err
    valid = isinstance(key, list) and len(key) == len(kinds)
    if not valid or not all(_fits(k, t) for k, t in zip(key, kinds, strict=False)):
        raise BadCursor("cursor is not one this API handed out")
    return list(key)


def _fits(value: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) or not isinstance(value, kind):
        return False
    return abs(value) <= MAX_ID if isinstance(value, int) else math.isfinite(value)


def after_id(cursor: str | None) -> int | None:
    """The last id of the previous page (cursors of id-ordered lists)."""
    key = decode_cursor(cursor, kinds=(int,))
    return None if key is None else int(key[0])


def by_id(row: Any) -> list[int]:
    """The cursor of a list in id order: the last row's id."""
    return [row.id]


def page(
    request: Request,
    rows: Sequence[R],
    *,
    limit: int,
    item: Callable[[R], T],
    key: Callable[[R], Any] = by_id,
) -> Page[Any]:
    """A page of ``rows`` (fetched with ``limit + 1`` to know whether another page follows);
    ``key`` gives the next page's cursor from the last row (by default its id)."""
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return Page(items=[item(r) for r in rows])  # Page[T] would build a class per call
    last = key(rows[-1])
    cursor = encode_cursor(last if isinstance(last, list) else [last])
    query = urlencode(dict(request.query_params) | {"cursor": cursor})
    path = request.scope.get("root_path", "") + request.scope["path"]
    return Page(items=[item(r) for r in rows], next_cursor=cursor, next=f"{path}?{query}")


def query_parameters(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` documenting ``model``'s fields as query parameters, for a route that
    reads them with ``parse_query`` instead of FastAPI's per-parameter machinery (a tenth of a
    claims page's time in bench/api_speed.py)."""
    schema = model.model_json_schema(by_alias=True)
    assert "$defs" not in schema, "query models hold plain fields only"
    required = set(schema.get("required", ()))
    parameters = [
        {"name": name, "in": "query", "required": name in required, "schema": field}
        | ({"description": field["description"]} if "description" in field else {})
        for name, field in schema["properties"].items()
    ]
    return {"parameters": parameters}


def parse_query(request: Request, model: type[M]) -> M:
    """``model`` from the request's query string; a 422 naming the parameter when it is wrong."""
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as err:
        errors = err.errors(include_url=False, include_context=False)
        raise RequestValidationError([e | {"loc": ("query", *e["loc"])} for e in errors]) from None
