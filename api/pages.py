"""Server-rendered review pages (Jinja2, autoescape on; article text is untrusted).

``/review`` lists open discrepancies by claim group (the same wrong claim in several articles is
one row, with its size and outlets), furthest off (in tolerances) first; ``/review/{claim_id}``
shows one with its sentence, how its reading was decided, the price chart, prices, the open copies
of the claim in other articles and the article's other claims, and takes confirm / dismiss /
correct, on the claim alone or on every open copy (a checkbox, on by default).

Reviewers sign in with an API key; the session (create_app's signed cookie) holds the key's id, the
reviewer's name and a CSRF token that every POST form must echo; the key is re-checked on every
request. The cookie also carries the key's session generation at sign-in: signing out moves the key
to the next one, so the server refuses that cookie (and any copy of it) afterwards; the reviewer's
other browsers sign in again.
Article text reaches the page only through autoescaped ``{{ }}``: the highlight is three
separately escaped parts, never ``|safe``.
"""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlmodel import Session

from api import pages_data as view
from api import pages_groups as queue
from api.deps import Services, get_services
from api.routes import decode_cursor, encode_cursor
from review import chart
from store import keys

router = APIRouter(include_in_schema=False)

HERE = Path(__file__).parent
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # everything, whatever the file's extension
        undefined=jinja2.StrictUndefined,
    )
)


def number(value: float | None) -> str:
    """A figure as reviewers read it: two decimals, thousands separated; "—" when missing."""
    if value is None:
        return "—"
    return f"{value:,.4g}" if abs(value) >= 1e9 else f"{value:,.2f}"


templates.env.filters["num"] = number
templates.env.globals["reasons"] = view.REASONS  # the dismissal and correction reasons
FormText = Annotated[str, Form()]


@router.get("/review/static/review.css")
def stylesheet() -> Response:
    """The pages' one stylesheet (no CDN, no inline styles: the CSP forbids both)."""
    css = (HERE / "static" / "review.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/review/signin")
def signin_form(request: Request, error: str = "") -> Response:
    """The sign-in form (an API key with the reviewer or admin role)."""
    state = _state(request)
    return _render(request, "review_signin.html", state, error=error)


@router.post("/review/signin")
def signin(request: Request, key: FormText = "", csrf: FormText = "") -> Response:
    """Check the key; on success a fresh session (new CSRF token) and on to the queue."""
    state = _state(request)
    if not _csrf_ok(state, csrf):
        return _forbidden(request, state)
    with _reading(request) as session:
        who = view.reviewer_for_key(session, key.strip())
    if who is None:
        return _render(request, "review_signin.html", state, status=401, error="unknown_key")
    state.clear()  # a new session on sign-in: no fixation, a fresh CSRF token
    state.update(
        csrf=secrets.token_urlsafe(32), key_id=who.key_id, name=who.name, generation=who.generation
    )
    return _redirect("/review")


@router.post("/review/signout")
def signout(request: Request, csrf: FormText = "") -> Response:
    """End the session on the server (every cookie of this key's sign-ins is refused from now
    on: a copied cookie is worth nothing after the sign-out), then forget it."""
    state = _state(request)
    if not _csrf_ok(state, csrf):
        return _forbidden(request, state)
    key_id = state.get("key_id")
    if isinstance(key_id, int):
        services = get_services(request)
        with Session(services.engine, autobegin=False) as session, session.begin():
            if _signed_in(session, state):
                keys.end_sessions(session, key_id)
    state.clear()
    return _redirect("/review/signin")


@router.get("/review")
def queue_page(
    request: Request, done: int | None = None, count: int = 1, after: str | None = None
) -> Response:
    """Open discrepancies by claim group (a wire story's copies are one row), furthest off
    first, QUEUE_LIMIT groups to a page (``after``: where the previous page ended, an opaque
    cursor as the API's); ``done`` and ``count``: the decision just made and on how many claims."""
    state = _state(request)
    key = decode_cursor(after, kinds=((int, float), int))
    start = None if key is None else (float(key[0]), int(key[1]))
    with _reading(request) as session:
        if not _signed_in(session, state):
            return _redirect("/review/signin")
        groups, last = queue.open_groups(session, limit=queue.QUEUE_LIMIT, after=start)
    following = None if last is None else "/review?" + urlencode({"after": encode_cursor(last)})
    return _render(
        request, "review_list.html", state, groups=groups, done=done, count=count,
        following=following, first=start is None,
    )  # fmt: skip


@router.get("/review/{claim_id}")
def item_page(request: Request, claim_id: int, error: str = "") -> Response:
    """One discrepancy with its evidence, the article's other claims and the decision forms."""
    state = _state(request)
    with _reading(request) as session:
        if not _signed_in(session, state):
            return _redirect("/review/signin")
        item = view.load_item(session, claim_id)
        if item is not None:
            prices = get_services(request).checking().prices
            drawn = chart.stored_chart(item.claim, item.check, prices)
            copies = queue.open_copies(session, claim_id)
    if item is None:
        return _render(request, "review_missing.html", state, status=404, claim_id=claim_id)
    return _render(
        request, "review_item.html", state, item=item, metrics=view.METRICS, error=error,
        chart=drawn, copies=copies,
    )  # fmt: skip


@router.post("/review/{claim_id}")
def decide(
    request: Request,
    claim_id: int,
    decision: FormText = "",
    csrf: FormText = "",  # a missing token is refused (403) like a wrong one
    note: FormText = "",
    reason: FormText = "",
    subject: FormText = "",
    metric: FormText = "",
    value: FormText = "",
    start: FormText = "",
    end: FormText = "",
    scope: FormText = "",  # "group": every open copy of the claim (the item page's checkbox)
) -> Response:
    """Record confirm / dismiss / correct (a correction re-checks the claim) on the claim or on
    its whole group, then the queue."""
    state = _state(request)
    if not _csrf_ok(state, csrf):
        return _forbidden(request, state)
    fields = {"subject": subject, "metric": metric, "value": value, "start": start, "end": end}
    services = get_services(request)
    with Session(services.engine, autobegin=False) as session:
        with session.begin():
            if not _signed_in(session, state):
                return _redirect("/review/signin")
        outcome = view.decide(
            session,
            services,
            claim_id,
            view.Choice(decision, reason or None, note.strip() or None, fields),
            reviewer=str(state["name"]),
            group=scope == "group",
        )
    if isinstance(outcome, str):
        return _redirect(f"/review/{claim_id}?{urlencode({'error': outcome})}")
    if len(outcome) == 1:
        return _redirect(f"/review?done={claim_id}")
    return _redirect(f"/review?{urlencode({'done': claim_id, 'count': len(outcome)})}")


# --- sessions: create_app's SessionMiddleware signs request.session into a cookie ---------------


def _state(request: Request) -> dict[str, Any]:
    """The session; an anonymous one gets its CSRF token on first sight."""
    session: dict[str, Any] = request.session
    if not isinstance(session.get("csrf"), str):
        session["csrf"] = secrets.token_urlsafe(32)
    return session


def _csrf_ok(state: dict[str, Any], sent: str) -> bool:
    return hmac.compare_digest(str(state["csrf"]).encode(), sent.encode())


def _signed_in(session: Session, state: dict[str, Any]) -> bool:
    """A session whose key still exists and still has a reviewing role."""
    key_id, generation = state.get("key_id"), state.get("generation")
    if not isinstance(key_id, int) or not isinstance(generation, int):
        return False
    return view.key_still_valid(session, key_id, generation)


def _reading(request: Request) -> Session:
    services: Services = get_services(request)
    return Session(services.reader)


def _render(
    request: Request, name: str, state: dict[str, Any], *, status: int = 200, **context: Any
) -> Response:
    context |= {"csrf": state["csrf"], "reviewer": state.get("name")}
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(HEADERS)
    return response


def _redirect(url: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    response.headers.update(HEADERS)
    return response


def _forbidden(request: Request, state: dict[str, Any]) -> Response:
    return _render(request, "review_signin.html", state, status=403, error="csrf")
