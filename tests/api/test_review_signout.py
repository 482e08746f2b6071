"""Signing out of the review pages ends the session on the server: the old cookie, replayed,
signs no one in."""

from __future__ import annotations

import re
from pathlib import Path

from api_support import TestClient, make_client, seed

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf(client: TestClient, path: str) -> str:
    match = CSRF.search(client.get(path).text)
    assert match is not None
    return match.group(1)


def sign_in(client: TestClient, key: str) -> None:
    token = csrf(client, "/review/signin")
    response = client.post(
        "/review/signin", data={"key": key, "csrf": token}, follow_redirects=False
    )
    assert response.headers["location"] == "/review"


def test_signout_refuses_the_old_cookie(tmp_path: Path) -> None:
    client, engine, keys = make_client(tmp_path)
    seed(engine)
    sign_in(client, keys["reviewer"])
    assert client.get("/review", follow_redirects=False).status_code == 200
    stolen = dict(client.cookies)
    token = csrf(client, "/review")
    out = client.post("/review/signout", data={"csrf": token}, follow_redirects=False)
    assert out.headers["location"] == "/review/signin"
    client.cookies.clear()
    client.cookies.update(stolen)  # the cookie as it was before the sign-out
    replayed = client.get("/review", follow_redirects=False)
    assert replayed.status_code == 303
    assert replayed.headers["location"] == "/review/signin"
    sign_in(client, keys["reviewer"])  # the key itself still works
    assert client.get("/review", follow_redirects=False).status_code == 200
