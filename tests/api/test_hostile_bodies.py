"""Hostile bodies: the key is checked before a body is read, and no body passes the size limit,
declared or streamed (over real HTTP: uvicorn on a loopback port)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from api_support import auth, make_client
from fastapi.routing import APIRoute

from api.app import ROUTERS
from api.guard import GuardedRoute, needed_role

LIMIT = 100_000
CHUNK = b"x" * 65_536


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` on uvicorn in a thread; its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Counted:
    """A chunked request body of ``total`` bytes after ``head`` that counts what was taken."""

    def __init__(self, total: int, head: bytes = b"") -> None:
        self.total, self.head, self.sent = total, head, 0

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        while self.sent < self.total:
            self.sent += len(CHUNK)
            yield CHUNK


class AsyncCounted(Counted):
    """The same for an AsyncClient (httpx takes any iterable body for a sync one)."""

    __iter__ = None  # type: ignore[assignment]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in Counted.__iter__(self):
            yield chunk


# The start of a multipart body whose file part never ends.
MULTIPART = b'--b\r\nContent-Disposition: form-data; name="file"; filename="SPY.csv"\r\n\r\n'


# (method, path, content type): every route that takes a body, called without a key
BODIES = [
    ("POST", "/v1/keys", "application/json"),
    ("POST", "/v1/articles", "application/json"),
    ("POST", "/v1/discrepancies/1/review", "application/json"),
    ("POST", "/v1/feeds", "application/json"),
    ("POST", "/v1/prices", "multipart/form-data; boundary=b"),
]


@pytest.mark.parametrize(("method", "path", "media"), BODIES)
def test_guard_key_is_checked_before_the_body(
    tmp_path: Path, method: str, path: str, media: str
) -> None:
    client, _, keys = make_client(tmp_path)
    bad = client.request(method, path, content=b"{not json", headers={"Content-Type": media})
    assert bad.status_code == 401
    wrong_role = auth(keys["reader"]) | {"Content-Type": media}
    assert client.request(method, path, content=b"{not json", headers=wrong_role).status_code == 403


@pytest.mark.parametrize(("method", "path", "media"), BODIES)
def test_guard_reads_no_byte_of_a_strangers_body(
    tmp_path: Path, method: str, path: str, media: str
) -> None:
    client, _, _ = make_client(tmp_path)
    body = AsyncCounted(10 * LIMIT, MULTIPART if "multipart" in media else b"")

    async def call() -> int:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as http:
            response = await http.request(
                method, path, content=body, headers={"Content-Type": media}
            )
            return response.status_code

    assert asyncio.run(call()) == 401
    assert body.sent <= len(CHUNK)  # at most the first chunk, which the transport reads ahead


def test_body_limit_refuses_a_declared_length_unread(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path, max_submit_bytes=LIMIT)
    with serving(client.app) as base:
        headers = auth(keys["admin"]) | {"Content-Length": str(10**9)}
        with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1]))) as raw:
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            raw.sendall(f"POST /v1/articles HTTP/1.1\r\nHost: api\r\n{head}\r\n".encode())
            raw.settimeout(5)
            answer = b"".join(iter(lambda: raw.recv(4096), b"")).decode()
    assert answer.startswith("HTTP/1.1 413"), answer
    assert "1000000000 bytes" in answer


@pytest.mark.parametrize(
    ("path", "media"),
    [("/v1/articles", "text/plain"), ("/v1/keys", "application/json"),
     ("/v1/prices", "multipart/form-data; boundary=b")],
)  # fmt: skip
def test_body_limit_stops_a_chunked_body_as_it_streams(
    tmp_path: Path, path: str, media: str
) -> None:
    client, _, keys = make_client(tmp_path, max_submit_bytes=LIMIT)
    body = Counted(1 << 30, MULTIPART if "multipart" in media else b"")  # 1 GiB, chunked
    with serving(client.app) as base:
        began = time.monotonic()
        headers = auth(keys["admin"]) | {"Content-Type": media}
        response = httpx.post(base + path, content=body, headers=headers, timeout=30)
        seconds = time.monotonic() - began
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert body.sent < 64 * LIMIT  # stopped at the limit, not at 1 GiB (socket buffers aside)
    assert seconds < 10


def test_guard_stops_a_strangers_chunked_upload(tmp_path: Path) -> None:
    client, _, _ = make_client(tmp_path)  # the default limit: 5 MB
    body = Counted(1 << 30)
    with serving(client.app) as base:
        headers = {"Content-Type": "multipart/form-data; boundary=b"}
        response = httpx.post(base + "/v1/prices", content=body, headers=headers, timeout=30)
    assert response.status_code == 401
    assert body.sent < 64 * LIMIT  # not drained to keep the connection alive: closed


def test_body_limit_lets_a_body_under_it_through(tmp_path: Path) -> None:
    client, _, keys = make_client(tmp_path, max_submit_bytes=LIMIT)
    with serving(client.app) as base:
        text = "SPY rose 1% today. " * 100
        response = httpx.post(
            base + "/v1/articles", content=text.encode(),
            headers=auth(keys["submitter"]) | {"Content-Type": "text/plain"}, timeout=30,
        )  # fmt: skip
    assert response.status_code == 202


def test_guard_covers_every_route_needing_a_key() -> None:
    for module in ROUTERS:
        for route in module.router.routes:
            if isinstance(route, APIRoute) and needed_role(route.dependant) is not None:
                assert isinstance(route, GuardedRoute), route.path
