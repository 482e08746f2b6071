"""End to end in headless Chromium: submit over the API, process, review on /review, read it back.

The service runs under a real uvicorn on 127.0.0.1 over a SQLite file; prices are SPY's real daily
bars, copied from ../shared/marketdata at run time (review_support.py). SPY was up 14.85% for 2025
on 2025-10-08, which the articles below misstate.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from review_support import PUBLISHED, WRONG, build
from spacy.language import Language

from checker.calendar import NyseCalendar

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
HOSTILE = (
    "The SPDR S&P 500 ETF Trust (SPY) has gained 30% so far this year "
    "<img src=x onerror=alert(1)>, traders said <script>alert(1)</script>."
)


@dataclass(frozen=True)
class Service:
    """A running service and what the test needs to drive it."""

    url: str
    reviewer: str
    submitter: str
    process: Any  # () -> None: run the worker until the queue is empty

    def api(self, key: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def chromium_path() -> Path:
    """Chromium and playwright, or a skip; in CI (CI=true) their absence fails the test."""
    missing = [] if CHROMIUM.exists() else [str(CHROMIUM)]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("playwright (Python)")
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests need {', '.join(missing)}: run .ci/browser.sh")
    if missing:
        pytest.skip(f"no {', '.join(missing)}")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def service(
    tmp_path: Path, shared_dir: Path, nlp: Language, calendar: NyseCalendar
) -> Iterator[Service]:
    """create_app under uvicorn in a thread, with reviewer and submitter keys."""
    setup = build(tmp_path, shared_dir, nlp, calendar)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(setup.app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    url = f"http://127.0.0.1:{port}"
    yield Service(url, setup.keys["reviewer"], setup.keys["submitter"], setup.process)
    server.should_exit = True
    thread.join(timeout=10)


def _submit_and_process(service: Service, text: str, title: str) -> int:
    """Submit an article, run the worker, and return its one claim's id."""
    with service.api(service.submitter) as api:
        body = {"text": text, "title": title, "published": PUBLISHED, "source": "test wire"}
        accepted = api.post("/v1/articles", json=body)
        assert accepted.status_code == 202, accepted.text
        article_id = accepted.json()["id"]
    service.process()
    with service.api(service.reviewer) as api:
        article = api.get(f"/v1/articles/{article_id}").json()
        assert article["state"] == "done", article
        claims = api.get(f"/v1/articles/{article_id}/claims").json()["items"]
    assert [c["subject"] for c in claims] == ["SPY"]
    claim_id: int = claims[0]["id"]
    return claim_id


def _sign_in(page: Any, service: Service) -> None:
    page.goto(f"{service.url}/review")
    assert page.url.endswith("/review/signin")
    page.fill("#key", service.reviewer)
    page.click("form.signin button[type=submit]")
    page.wait_for_url(f"{service.url}/review")


@pytest.fixture
def page(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        yield browser.new_page(viewport={"width": 1100, "height": 900})
        browser.close()


def test_review_e2e_dismiss_a_discrepancy(service: Service, page: Any) -> None:
    claim_id = _submit_and_process(service, WRONG, "Stocks extend their rally")
    _sign_in(page, service)
    row = page.locator(f"#claim-{claim_id}")
    assert row.locator("mark.claim").inner_text() == "25%"
    assert row.locator("q.sentence").inner_text() == WRONG
    assert row.locator(".computed").inner_text() == "14.85"
    page.screenshot(path="/tmp/newsclaims_review_queue.png", full_page=True)

    row.locator("a.open").click()
    page.wait_for_url(f"{service.url}/review/{claim_id}")
    assert page.locator("mark.claim").first.inner_text() == "25%"
    prices = page.locator("table.prices").inner_text()
    assert "2024-12-31" in prices
    assert "586.08" in prices
    assert "673.11" in prices
    page.screenshot(path="/tmp/newsclaims_review_item.png", full_page=True)
    page.select_option("#reason", "bad_market_data")
    page.fill("#note", "A rounding in the wire copy; not worth a correction.")
    page.click("button[value=dismiss]")
    page.wait_for_url(f"{service.url}/review?done={claim_id}")
    assert page.locator(f"#claim-{claim_id}").count() == 0

    with service.api(service.reviewer) as api:
        dismissed = api.get("/v1/discrepancies", params={"status": "dismissed"}).json()["items"]
        reviews = api.get(f"/v1/discrepancies/{claim_id}/reviews").json()
    assert [d["claim"]["id"] for d in dismissed] == [claim_id]
    assert [(r["decision"], r["reason"], r["reviewer"], r["note"]) for r in reviews] == [
        (
            "dismissed",
            "bad_market_data",
            "Rita Reviewer",
            "A rounding in the wire copy; not worth a correction.",
        )
    ]


def test_review_e2e_hostile_article_is_inert(service: Service, page: Any) -> None:
    claim_id = _submit_and_process(service, HOSTILE, "<script>alert(1)</script>")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _sign_in(page, service)
    sentence = page.locator(f"#claim-{claim_id} q.sentence").inner_text()
    assert "<img src=x onerror=alert(1)>" in sentence
    assert "<script>alert(1)</script>" in sentence
    page.goto(f"{service.url}/review/{claim_id}")
    assert "<script>alert(1)</script>" in page.locator(".source").first.inner_text()
    page.screenshot(path="/tmp/newsclaims_review_hostile.png", full_page=True)
    assert page.locator("img").count() == 0
    assert page.locator("main script").count() == 0
    assert dialogs == []
