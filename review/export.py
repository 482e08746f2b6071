"""schema.org ClaimReview JSON-LD for reviewed claims: ``claim_review()``.

``to_json_ld()`` writes it with ``<``, ``>`` and ``&`` escaped (``\\u003c``...): the text is then
safe inside a page's ``<script type="application/ld+json">``, whatever the article's title says.

The rating scale is 1 (false) to 5 (true), as fact-checkers publishing ClaimReview use it:
a confirmed discrepancy is 1 "False"; a dismissed one 3 "Discrepancy dismissed" (the checker was
wrong or the claim cannot be read as a number, which says nothing of the claim's truth); a
corrected claim is rated by its new verdict.
"""

from __future__ import annotations

import json
from typing import Any

from store.tables import Article, CheckRow, ClaimRow, Review

AUTHOR = {"@type": "Organization", "name": "newsclaims"}
BY_VERDICT = {"supported": (5, "True"), "contradicted": (1, "False")}
BY_DECISION = {"confirmed": (1, "False"), "dismissed": (3, "Discrepancy dismissed")}
UNRATED = (3, "Unverified")


# What may not appear raw in JSON-LD embedded in a page's <script>: "</script>" would end the
# element, "<!--" open a comment, "&" start an entity in XHTML; U+2028/9 end a line in old JS.
SCRIPT_SAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def to_json_ld(document: dict[str, Any]) -> str:
    """The document as JSON text safe to embed in an HTML ``<script>`` element as it is."""
    text = json.dumps(document, ensure_ascii=False)
    return text.translate({ord(k): v for k, v in SCRIPT_SAFE.items()})


def rating(review: Review) -> tuple[int, str]:
    """(value on 1..5, name) of the latest decision."""
    if review.decision == "corrected":
        return BY_VERDICT.get(review.verdict_after or "", UNRATED)
    return BY_DECISION.get(review.decision, UNRATED)


def claimed(claim: ClaimRow) -> str:
    """The claimed number as a person reads it: "19.2 percent", "10..20 percent"."""
    amount = f"{claim.value:g}" if claim.value is not None else f"{claim.low:g}..{claim.high:g}"
    return f"{amount} {claim.unit}".strip()


def claim_review(
    claim: ClaimRow, check: CheckRow, review: Review, article: Article
) -> dict[str, Any]:
    """The ClaimReview object of one reviewed claim."""
    value, name = rating(review)
    computed = "" if check.computed is None else f"; computed {check.computed:g}"
    appearance: dict[str, Any] = {"@type": "NewsArticle", "headline": article.title}
    if article.url:
        appearance["url"] = article.url
    if article.published:
        appearance["datePublished"] = article.published.isoformat()
    if article.source:
        appearance["publisher"] = {"@type": "Organization", "name": article.source}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "datePublished": review.decided_at.date().isoformat(),
        "author": AUTHOR,
        "claimReviewed": claim.text,
        "itemReviewed": {"@type": "Claim", "appearance": appearance},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name,
        },
        "reviewBody": (
            f"{claim.subject} {claim.metric}: claimed {claimed(claim)}{computed} "
            f"({check.verdict}). {review.note or ''}"
        ).strip(),
    }
