"""End to end in headless Chromium: one wire story filed twice carries the same wrong claim; the
queue shows it once as a group of two, the reviewer dismisses the group on /review, and the API
shows the decision on both claims and counts it once per claim (issue 13).

The texts are one Reuters-style market wrap in two versions (the second filed later with an added
paragraph). SPY closed at 586.08 on 2024-12-31 and 673.11 on 2025-10-08: up 14.85 % for the year,
which both copies misstate as 25 %. The service runs under uvicorn over a SQLite file with SPY's
real prices (test_review_e2e.py's fixtures).
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import Service, sign_in
from review_support import PUBLISHED, WRONG

pytestmark = pytest.mark.browser

LEAD = (
    "Wall Street's main indexes ended higher on Wednesday as investors looked past the government "
    "shutdown and bought technology shares again. "
)
FIRST = LEAD + WRONG
UPDATED = (
    LEAD
    + WRONG
    + ("\n\nThe S&P 500 set a record close, led by chipmakers, while Treasury yields edged lower.")
)
COPIES = [("Reuters", FIRST), ("Yahoo Finance", UPDATED)]
TITLE = "Wall St ends higher as tech rebounds"
SVG = "figure.chart svg"


def _submit_copies(service: Service) -> list[int]:
    """Both versions of the wrap, processed; each one's SPY claim id (the first is the group's)."""
    with service.api(service.submitter) as api:
        for source, text in COPIES:
            body = {"text": text, "title": TITLE, "published": PUBLISHED, "source": source}
            assert api.post("/v1/articles", json=body).status_code == 202
    service.process()
    with service.api(service.reviewer) as api:
        items = api.get("/v1/discrepancies").json()["items"]
    claims = [item["claim"] for item in items]
    assert [(c["subject"], c["value"]) for c in claims] == [("SPY", 25.0), ("SPY", 25.0)]
    return sorted(c["id"] for c in claims)


def test_review_groups_e2e_one_decision_for_a_wire_story_filed_twice(
    service: Service, page: Any
) -> None:
    first, copy = _submit_copies(service)
    sign_in(page, service)
    rows = page.locator("ol.queue > li")
    assert rows.count() == 1  # one group of two, not two rows
    row = page.locator(f"#claim-{first}")
    assert row.locator(".group-size").inner_text() == "2 articles"
    assert row.locator(".outlets").inner_text() == "Reuters, Yahoo Finance"
    assert row.locator("mark.claim").inner_text() == "25%"
    page.screenshot(path="/tmp/newsclaims_review_group_queue.png", full_page=True)

    row.locator("a.open").click()
    page.wait_for_url(f"{service.url}/review/{first}")
    _assert_chart(page)
    assert page.locator(f"ul.copies #copy-{copy} .outlet").inner_text() == "Yahoo Finance"
    assert page.locator("#group-decision").is_checked()
    page.screenshot(path="/tmp/newsclaims_review_group_item.png", full_page=True)
    page.select_option("#reason", "wrong_period")
    page.fill("#note", "The wrap meant the session, not the year.")
    page.click("button[value=dismiss]")
    page.wait_for_url(f"{service.url}/review?done={first}&count=2")
    assert "and its 1 open copy recorded" in page.locator("p.flash").inner_text()
    assert page.locator("ol.queue > li").count() == 0

    with service.api(service.reviewer) as api:
        histories = [api.get(f"/v1/discrepancies/{c}/reviews").json() for c in (first, copy)]
        claims = [api.get(f"/v1/claims/{c}").json() for c in (first, copy)]
        stats = api.get("/v1/reviews/stats").json()
    for history in histories:
        assert [(r["decision"], r["reason"], r["reviewer"]) for r in history] == [
            ("dismissed", "wrong_period", "Rita Reviewer")
        ]
    assert [c["id"] for c in claims] == [first, copy]
    assert stats["total"] == 2
    assert stats["by_decision"] == {"dismissed": 2}
    assert stats["by_reason"] == {"wrong_period": 2}
    assert stats["by_outlet"] == {"Reuters": 1, "Yahoo Finance": 1}


def _assert_chart(page: Any) -> None:
    """The item page holds the server-drawn SVG: start and end marks and a caption in words."""
    assert page.locator(SVG).count() == 1
    assert page.locator(f"{SVG} g.mark-start").count() == 1
    assert page.locator(f"{SVG} g.mark-end").count() == 1
    caption = page.locator("figure.chart figcaption.chart-caption").inner_text()
    assert caption.startswith("SPY price return from 2024-12-31 to 2025-10-08: claimed 25%")
    assert "computed 14.85%" in caption
    assert page.locator(f"{SVG} desc").text_content() == caption
