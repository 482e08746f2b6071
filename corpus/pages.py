"""An article page's HTML -> its main text and metadata (trafilatura), and whether it is whole.

``read_page`` never raises on odd HTML: a page trafilatura finds no text in is a ``Page`` with no
text, which the fetch stage treats as a teaser. Furniture (navigation, cookie banners, related
lists, comments, newsletter and subscription boxes, ads, share bars) is pruned before extraction
by ``PRUNE``; the published time is read with its zone from the page's own markup (meta tags,
JSON-LD, ``<time>``), since trafilatura's date is a day. A page is ``partial`` when it says it is
paywalled, or when its text is too short to be a story.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError, XMLSyntaxError

from corpus.urls import clean_url

log = logging.getLogger(__name__)

# Words below which page text is a teaser, not the story. The shortest story in corpus/wild has
# 120 words; feed teasers have 10-70 (the four feeds in ../shared/feeds). 80 leaves room for short
# briefs without taking a teaser for a story (chosen on those two distributions).
MIN_STORY_WORDS = 80
# Class or id fragments of page furniture that trafilatura sometimes keeps (a related-stories
# list inside <article>, a cookie banner before it). Each was seen leaking in
# tests/corpus/pages_support.py's layouts before it was listed here.
FURNITURE = (
    "cookie", "consent", "related", "recommend", "newsletter", "subscribe", "paywall",
    "promo", "advert", "sponsor", "share-", "social", "comments", "outbrain", "taboola",
    "read-more", "readmore", "most-popular", "trending", "byline-follow", "signup",
)  # fmt: skip
PRUNE = [
    "//nav", "//footer", "//aside", "//form", "//script", "//noscript", "//iframe",
    *[f"//*[contains(@class, '{word}') or contains(@id, '{word}')]" for word in FURNITURE],
]  # fmt: skip
# What a page says when it withholds the story (lower-cased text of the page).
PAYWALL_PHRASES = (
    "subscribe to continue reading", "subscribe to read", "to continue reading, subscribe",
    "this article is for subscribers", "already a subscriber", "subscribers only",
    "create a free account to continue", "sign in to continue reading",
)  # fmt: skip
PAYWALL_CLASS = re.compile(r"paywall|regwall|subscriber-only|premium-wall|meter-wall", re.I)
DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "pubdate",
    "publishdate", "date", "dc.date", "dc.date.issued", "parsely-pub-date", "sailthru.date",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Page:
    """What one article page holds: main text and metadata; ``paywalled`` when it says so."""

    text: str
    title: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    paywalled: bool = False

    @property
    def words(self) -> int:
        """Words of the main text."""
        return len(self.text.split())

    @property
    def partial(self) -> bool:
        """Whether the page withholds the story (paywall) or holds too little to be one."""
        return self.paywalled or self.words < MIN_STORY_WORDS


def read_page(content: bytes | str, *, url: str) -> Page:
    """The page's main text and metadata; an empty Page when the HTML cannot be read."""
    try:
        tree = lxml_html.fromstring(content)
    except (ParserError, XMLSyntaxError, ValueError):
        return Page("")
    scripts = json_ld(tree)
    paywalled = is_paywalled(tree, scripts)
    document = trafilatura.bare_extraction(
        lxml_html.fromstring(content), url=url, with_metadata=True, include_comments=False,
        include_tables=True, include_images=False, prune_xpath=PRUNE, deduplicate=False,
    )  # fmt: skip
    text = getattr(document, "text", None) or ""
    canonical = canonical_link(tree) or getattr(document, "url", None)
    return Page(
        text=text.strip(),
        title=getattr(document, "title", None) or None,
        author=getattr(document, "author", None) or None,
        published_at=published_time(tree, scripts),
        canonical_url=clean_url(canonical) if canonical else None,
        site_name=getattr(document, "sitename", None) or None,
        paywalled=paywalled,
    )


def json_ld(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (graphs and lists flattened); bad JSON is skipped."""
    found: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content() or "null")
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict):
                found.append(item)
                found += [g for g in item.get("@graph", []) if isinstance(g, dict)]
    return found


def is_paywalled(tree: Any, scripts: list[dict[str, Any]]) -> bool:
    """Whether the page marks its story as withheld: schema.org isAccessibleForFree false, a
    paywall element, or a subscription prompt."""
    for item in scripts:
        if str(item.get("isAccessibleForFree", "true")).lower() == "false":
            return True
    for element in tree.xpath("//*[@class or @id]"):
        if PAYWALL_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}"):
            return True
    text = " ".join(tree.text_content().lower().split())
    return any(phrase in text for phrase in PAYWALL_PHRASES)


def canonical_link(tree: Any) -> str | None:
    """<link rel=canonical>, else og:url."""
    for href in tree.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        if str(href).startswith(("http://", "https://")):
            return str(href)
    return None


def published_time(tree: Any, scripts: list[dict[str, Any]]) -> datetime | None:
    """The published time with its zone, from meta tags, JSON-LD or <time datetime>; None when
    the page gives only a day or nothing (the feed's time is used then)."""
    candidates = [str(item.get("datePublished", "")) for item in scripts]
    for meta in tree.xpath("//meta[@content]"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if name in DATE_META:
            candidates.append(meta.get("content", ""))
    candidates += [str(t) for t in tree.xpath("//time[@datetime]/@datetime")]
    for raw in candidates:
        moment = timestamp(raw)
        if moment is not None:
            return moment
    return None


def timestamp(raw: str) -> datetime | None:
    """An ISO 8601 time with a zone ("Z" or an offset); None for a day or a naive time."""
    raw = raw.strip()
    if len(raw) <= len("YYYY-MM-DD"):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
