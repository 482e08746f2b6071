"""Fixtures of the Chromium end-to-end tests: Chromium (or a skip, a failure in CI), the service
under uvicorn, a page."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from browser_support import CHROMIUM, CHROMIUM_ARGS, Service, free_port
from review_support import build
from spacy.language import Language

from checker.calendar import NyseCalendar


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


@pytest.fixture
def service(
    tmp_path: Path, shared_dir: Path, nlp: Language, calendar: NyseCalendar
) -> Iterator[Service]:
    """create_app under uvicorn in a thread, with reviewer and submitter keys."""
    setup = build(tmp_path, shared_dir, nlp, calendar)
    port = free_port()
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


@pytest.fixture
def page(chromium_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
        yield browser.new_page(viewport={"width": 1100, "height": 900})
        browser.close()
