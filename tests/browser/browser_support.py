"""What the Chromium end-to-end tests share: the running service they drive, Chromium's path
and flags, signing in on the review pages. Their fixtures (chromium_path, service, page) are in
conftest.py."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@dataclass(frozen=True)
class Service:
    """A running service and what the test needs to drive it."""

    url: str
    reviewer: str
    submitter: str
    process: Any  # () -> None: run the worker until the queue is empty

    def api(self, key: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {key}"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def sign_in(page: Any, service: Service) -> None:
    page.goto(f"{service.url}/review")
    assert page.url.endswith("/review/signin")
    page.fill("#key", service.reviewer)
    page.click("form.signin button[type=submit]")
    page.wait_for_url(f"{service.url}/review")
