"""The review templates escape article text: a hostile article renders as inert text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from api.pages import templates
from api.pages_data import Item, OtherClaim, PriceLine, QueueItem, Sentence, split_sentence
from api.pages_groups import Copy, QueueGroup
from store.tables import Article, CheckRow, ClaimRow, Review

pytestmark = pytest.mark.browser

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SENTENCE = f"SPY {SCRIPT} has gained 30% so far this year {IMG}."
TEXT = f"Markets {IMG} rallied. {SENTENCE}"
FIGURE_START = TEXT.index("30%")


def _hostile_item() -> Item:
    now = datetime(2025, 10, 8, tzinfo=UTC)
    article = Article(id=1, content_hash="x", text=TEXT, title=f"Title {SCRIPT}", available_at=now,
                      created_at=now, source=IMG, url=f"https://example.com/{IMG}")  # fmt: skip
    claim = ClaimRow(id=7, article_id=1, position=0, subject="SPY", metric="price_return",
                     value=30.0, unit="percent", kind="historical", text=SENTENCE,
                     offset_start=FIGURE_START, offset_end=FIGURE_START + 3)  # fmt: skip
    check = CheckRow(claim_id=7, verdict="contradicted", computed=14.85, checked_at=now,
                     evidence={"tolerance": {"close": 0.45}})  # fmt: skip
    sentence = split_sentence(TEXT, claim)
    row = QueueItem(7, 1, article.title, "SPY", "price_return", "percent", 30.0, 14.85, 15.15,
                    0.45, sentence)  # fmt: skip
    other = OtherClaim(8, IMG, "price_return", 1.0, "percent", SCRIPT, sentence)
    decision = Review(claim_id=7, decision="dismissed", note=SCRIPT, reviewer=IMG, decided_at=now)
    prices = [PriceLine("start", IMG, 586.08, None, None)]
    return Item(row, article, claim, check, (str(date(2024, 12, 31)), IMG), "return", IMG,
                prices, [other], [decision], "open", basis=f"period: {SCRIPT}",
                alternative=f"{IMG} 2025-01-31 → 2025-02-07")  # fmt: skip


COPIES = [Copy(7, 1, SCRIPT, IMG), Copy(9, 2, f"Copy {SCRIPT}", IMG)]
PAGES = [
    (
        "review_list.html",
        lambda item: {
            "groups": [QueueGroup(item.row, [7, 9], [IMG, SCRIPT])],
            "done": None, "count": 1, "following": None, "first": True,
        },
    ),
    (
        "review_item.html",
        lambda item: {
            "item": item, "metrics": ["price_return"], "error": SCRIPT, "copies": COPIES,
        },
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "context"), PAGES)
def test_review_escaping_hostile_article_renders_as_text(name: str, context: object) -> None:
    item = _hostile_item()
    html = templates.get_template(name).render(
        csrf="token",
        reviewer=IMG,
        **context(item),  # type: ignore[operator]
    )
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_review_escaping_highlight_is_the_figure_alone() -> None:
    sentence = _hostile_item().row.sentence
    assert sentence == Sentence(f"SPY {SCRIPT} has gained ", "30%", f" so far this year {IMG}.")
    html = templates.get_template("_sentence.html").render(sentence=sentence)
    assert html.strip() == (
        '<q class="sentence">SPY &lt;script&gt;alert(1)&lt;/script&gt; has gained '
        '<mark class="claim">30%</mark> so far this year &lt;img src=x onerror=alert(1)&gt;.</q>'
    )


def test_review_escaping_sentence_not_found_shows_the_figure_in_context() -> None:
    claim = ClaimRow(text="a sentence the article no longer has", offset_start=8, offset_end=11)
    assert split_sentence("SPY was 30% up", claim) == Sentence("SPY was ", "30%", " up")
