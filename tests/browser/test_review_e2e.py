"""End to end in headless Chromium: submit over the API, process, review on /review, read it back.

The service runs under a real uvicorn on 127.0.0.1 over a SQLite file; prices are SPY's real daily
bars, copied from ../shared/marketdata at run time (review_support.py). SPY was up 14.85% for 2025
on 2025-10-08, which the articles below misstate.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import Service, sign_in
from review_support import PUBLISHED, WRONG

pytestmark = pytest.mark.browser

HOSTILE = (
    "The SPDR S&P 500 ETF Trust (SPY) has gained 30% so far this year "
    "<img src=x onerror=alert(1)>, traders said <script>alert(1)</script>."
)


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


def test_review_e2e_dismiss_a_discrepancy(service: Service, page: Any) -> None:
    claim_id = _submit_and_process(service, WRONG, "Stocks extend their rally")
    sign_in(page, service)
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
    sign_in(page, service)
    sentence = page.locator(f"#claim-{claim_id} q.sentence").inner_text()
    assert "<img src=x onerror=alert(1)>" in sentence
    assert "<script>alert(1)</script>" in sentence
    page.goto(f"{service.url}/review/{claim_id}")
    assert "<script>alert(1)</script>" in page.locator(".source").first.inner_text()
    page.screenshot(path="/tmp/newsclaims_review_hostile.png", full_page=True)
    assert page.locator("img").count() == 0
    assert page.locator("main script").count() == 0
    assert dialogs == []
