"""The review pages over TestClient: who may sign in, CSRF on every POST, correct re-checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from review_support import PUBLISHED, WRONG, Setup, TestClient, build
from spacy.language import Language

from api import pages_groups as queue
from checker.calendar import NyseCalendar

pytestmark = pytest.mark.browser
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
OFF_BY = re.compile(r'class="error">off by ([\d.]+)<')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
BASIS = re.compile(r'<td class="basis">([^<]+)</td>')


@pytest.fixture
def setup(tmp_path: Path, shared_dir: Path, nlp: Language, calendar: NyseCalendar) -> Setup:
    return build(tmp_path, shared_dir, nlp, calendar)


def _csrf(client: TestClient, path: str) -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None
    return found.group(1)


def _signed_in(setup: Setup, role: str = "reviewer") -> TestClient:
    client = TestClient(setup.app, follow_redirects=False)
    token = _csrf(client, "/review/signin")
    answer = client.post("/review/signin", data={"key": setup.keys[role], "csrf": token})
    assert answer.status_code == 303
    return client


def _one_discrepancy(setup: Setup) -> int:
    headers = {"Authorization": f"Bearer {setup.keys['submitter']}"}
    with TestClient(setup.app) as api:
        body = {"text": WRONG, "published": PUBLISHED}
        assert api.post("/v1/articles", json=body, headers=headers).status_code == 202
        setup.process()
        headers = {"Authorization": f"Bearer {setup.keys['reviewer']}"}
        items = api.get("/v1/discrepancies", headers=headers).json()["items"]
    claim_id: int = items[0]["claim"]["id"]
    return claim_id


SIGN_INS = [("reviewer", 303, "/review"), ("reader", 401, None), ("submitter", 401, None)]


@pytest.mark.parametrize(("role", "status", "location"), SIGN_INS)
def test_review_pages_sign_in_needs_a_reviewing_key(
    setup: Setup, role: str, status: int, location: str | None
) -> None:
    client = TestClient(setup.app, follow_redirects=False)
    token = _csrf(client, "/review/signin")
    answer = client.post("/review/signin", data={"key": setup.keys[role], "csrf": token})
    assert answer.status_code == status
    assert answer.headers.get("location") == location


def test_review_pages_queue_redirects_strangers(setup: Setup) -> None:
    answer = TestClient(setup.app, follow_redirects=False).get("/review")
    assert (answer.status_code, answer.headers["location"]) == (303, "/review/signin")


@pytest.mark.parametrize("token", ["", "forged"])
def test_review_pages_post_without_the_csrf_token_is_refused(setup: Setup, token: str) -> None:
    claim_id = _one_discrepancy(setup)
    client = _signed_in(setup)
    answer = client.post(
        f"/review/{claim_id}", data={"decision": "dismiss", "reason": "other", "csrf": token}
    )
    assert answer.status_code == 403
    assert f'id="claim-{claim_id}"' in client.get("/review").text  # still open


def test_review_pages_correct_rechecks_the_claim(setup: Setup) -> None:
    claim_id = _one_discrepancy(setup)
    client = _signed_in(setup)
    token = _csrf(client, f"/review/{claim_id}")
    form = {
        "decision": "correct",
        "reason": "wrong_metric",
        "csrf": token,
        "value": "14.8",
        "note": "misread",
    }
    answer = client.post(f"/review/{claim_id}", data=form)
    assert answer.headers["location"] == f"/review?done={claim_id}"
    page = client.get(f"/review/{claim_id}").text
    assert "corrected" in page
    assert "supported" in page
    headers = {"Authorization": f"Bearer {setup.keys['reader']}"}
    reviews = client.get(f"/v1/discrepancies/{claim_id}/reviews", headers=headers).json()
    assert [(r["decision"], r["verdict_after"]) for r in reviews] == [("corrected", "supported")]


def test_review_pages_bad_correction_is_shown_not_saved(setup: Setup) -> None:
    claim_id = _one_discrepancy(setup)
    client = _signed_in(setup)
    token = _csrf(client, f"/review/{claim_id}")
    form = {"decision": "correct", "reason": "other", "csrf": token, "value": "lots"}
    answer = client.post(f"/review/{claim_id}", data=form, follow_redirects=True)
    assert "value &#39;lots&#39; is not a number" in answer.text


def test_review_pages_queue_pages_through(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue, "QUEUE_LIMIT", 2)
    headers = {"Authorization": f"Bearer {setup.keys['submitter']}"}
    with TestClient(setup.app) as api:
        for claimed in (25, 40, 60):  # SPY gained 14.85 %: three contradicted claims
            text = WRONG.replace("25%", f"{claimed}%") + f" Desk note {claimed}."
            body = {"text": text, "published": PUBLISHED}
            assert api.post("/v1/articles", json=body, headers=headers).status_code == 202
        setup.process()
    client = _signed_in(setup)
    seen: list[list[str]] = []
    url: str | None = "/review"
    while url is not None:
        page = client.get(url).text
        seen.append(OFF_BY.findall(page))
        following = NEXT.search(page)
        url = None if following is None else following.group(1).replace("&amp;", "&")
    assert seen == [["45.15", "25.15"], ["10.15"]]  # furthest off first, 2 to a page


def test_review_pages_item_shows_how_the_claim_was_read(setup: Setup) -> None:
    claim_id = _one_discrepancy(setup)
    page = _signed_in(setup).get(f"/review/{claim_id}").text
    found = BASIS.search(page)
    assert found is not None
    assert [part.split(": ")[0] for part in found.group(1).split(" · ")] == [
        "period", "session", "subject",
    ]  # fmt: skip


def test_review_pages_item_draws_the_price_path(setup: Setup) -> None:
    """The item page holds the server-drawn SVG, its start and end marks, and its caption."""
    claim_id = _one_discrepancy(setup)
    page = _signed_in(setup).get(f"/review/{claim_id}").text
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    assert 'class="mark-start"' in svg
    assert 'class="mark-end"' in svg
    caption = re.search(r'<figcaption class="chart-caption">([^<]+)</figcaption>', page)
    assert caption is not None
    assert "claimed" in caption.group(1)
    assert "computed" in caption.group(1)
