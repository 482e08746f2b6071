"""Article pages as news sites serve them, built from real story texts, for tests and benches.

``build_page(story, layout=...)`` wraps one story of ../shared/corpus (wild or dev) in the furniture
real pages carry: navigation, a cookie banner, ads, related-article lists (beside and inside the
story), share bars, a newsletter box, comments, scripts and JSON-LD, in four layouts; the
"paywall" layout shows the first paragraphs and a subscription prompt. Every piece of furniture
carries one of ``MARKERS``: no stored article may contain one. site_support.py serves the four
real feeds with each item's link rewritten to one of these pages (bench/ uses both).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

LAYOUTS = ("classic", "divs", "main", "paywall")
# One phrase per kind of furniture; none occurs in any story of corpus/wild or corpus/dev.
MARKERS = {
    "nav": "Markets Home Economy Tech Watchlist Podcasts",
    "cookie": "We use cookies to personalise content and ads",
    "ad": "Advertisement: Trade with zero commissions at Quillbrook Securities",
    "related": "Related: Five dividend stocks Quillbrook analysts love",
    "inline": "Read more: Why the Quillbrook index lagged this quarter",
    "share": "Share this article on Facebook Twitter LinkedIn Email",
    "newsletter": "Sign up for the Quillbrook Morning Briefing newsletter",
    "comments": "Comment from marketwatcher88: this is exactly what I predicted",
    "footer": "Copyright Quillbrook Media Group. All rights reserved. Terms of Use",
    "paywall": "Subscribe to continue reading. Already a subscriber? Sign in",
    "popular": "Most popular: Quillbrook bond fund draws record inflows",
}


@dataclass(frozen=True, slots=True)
class Story:
    """A story of the shared corpus: what its page must yield."""

    id: str
    title: str
    text: str
    published: str | None
    author: str = "Dana Whitfield"

    @property
    def paragraphs(self) -> list[str]:
        """The story's paragraphs (one per non-empty line)."""
        return [line.strip() for line in self.text.split("\n") if line.strip()]


def load_stories(corpus_dir: Path, *, limit: int | None = None) -> list[Story]:
    """The stories of one corpus folder (gold files and mutated copies skipped), by id."""
    stories = []
    for path in sorted(corpus_dir.glob("*.json")):
        if path.name.endswith(".gold.json") or "-m" in path.stem:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        stories.append(Story(data["id"], data["title"] or data["id"], data["text"],
                             data.get("published")))  # fmt: skip
    return stories[:limit]


def layout_of(key: str) -> str:
    """A stable layout for a page key; one page in four is paywalled."""
    return LAYOUTS[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(LAYOUTS)]


def e(text: str) -> str:
    """HTML-escaped text."""
    return html.escape(text, quote=True)


def head(story: Story, *, canonical: str, paywalled: bool) -> str:
    """<head>: title, canonical link, Open Graph and article meta, scripts, JSON-LD."""
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
        "datePublished": story.published, "author": {"@type": "Person", "name": story.author},
        "publisher": {"@type": "Organization", "name": "Quillbrook Markets"},
        "isAccessibleForFree": not paywalled,
    }  # fmt: skip
    published = f'<meta property="article:published_time" content="{e(story.published)}">' if (
        story.published and "T" in story.published) else ""  # fmt: skip
    return f"""<head><meta charset="utf-8"><title>{e(story.title)} | Quillbrook Markets</title>
<link rel="canonical" href="{e(canonical)}"><meta property="og:url" content="{e(canonical)}">
<meta property="og:site_name" content="Quillbrook Markets">
<meta name="author" content="{e(story.author)}">
<meta property="og:title" content="{e(story.title)}">{published}
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
<script type="application/ld+json">{json.dumps(ld)}</script>
<style>.ad-slot{{min-height:250px}}</style></head>"""


def nav() -> str:
    """Top navigation and a cookie banner."""
    links = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in MARKERS["nav"].split())
    return f"""<header class="site-header"><a class="logo" href="/">Quillbrook</a>
<nav class="primary-nav"><ul>{links}</ul></nav></header>
<div id="cookie-consent" class="cookie-banner"><p>{MARKERS["cookie"]}.</p>
<button>Accept all</button><button>Manage choices</button></div>"""


def related(kind: str, tag: str = "aside") -> str:
    """A list of other stories' links."""
    items = "".join(f'<li><a href="/articles/other-{i}">{MARKERS[kind]} ({i})</a></li>'
                    for i in range(1, 4))  # fmt: skip
    return f'<{tag} class="{kind}-articles"><h3>More stories</h3><ul>{items}</ul></{tag}>'


def tail() -> str:
    """Comments, newsletter box and footer."""
    return f"""<section id="comments" class="comments-section"><h3>Comments (2)</h3>
<div class="comment"><p>{MARKERS["comments"]}</p></div></section>
<div class="newsletter-signup"><p>{MARKERS["newsletter"]}</p><form><input type="email"></form></div>
<footer class="site-footer"><p>{MARKERS["footer"]}</p></footer>
<script src="/static/analytics.js"></script><script>trackPage("article");</script>"""


def body(story: Story, *, inline: bool) -> str:
    """The story's paragraphs, with an ad and (``inline``) a read-more link between them."""
    parts = []
    for i, paragraph in enumerate(story.paragraphs):
        parts.append(f"<p>{e(paragraph)}</p>")
        if i == 1:
            parts.append(f'<div class="ad-slot advert"><span>{MARKERS["ad"]}</span></div>')
        if inline and i == 3:
            parts.append(f'<p class="read-more"><a href="/x">{MARKERS["inline"]}</a></p>')
    return "\n".join(parts)


def byline(story: Story) -> str:
    """Author, time and a share bar."""
    when = e(story.published or "")
    return f"""<div class="byline">By <a rel="author" href="/authors/dw">{e(story.author)}</a>
<time datetime="{when}">{when}</time></div>
<div class="share-bar"><span>{MARKERS["share"]}</span></div>"""


def build_page(story: Story, *, layout: str, canonical: str) -> str:
    """The story's page in ``layout`` (one of LAYOUTS)."""
    paywalled = layout == "paywall"
    top = f"<!DOCTYPE html><html lang='en'>{head(story, canonical=canonical, paywalled=paywalled)}"
    title = f"<h1 class='headline'>{e(story.title)}</h1>"
    if layout == "classic":
        main = f"<article class='story'>{title}{byline(story)}{body(story, inline=True)}</article>"
        page = f"{nav()}<div class='wrap'>{main}{related('related')}</div>"
    elif layout == "divs":
        story_div = f"<div class='story-body'>{body(story, inline=True)}</div>"
        popular = related("popular", tag="div")
        page = f"{nav()}<div id='content'>{title}{byline(story)}{story_div}</div>{popular}"
    elif layout == "main":
        section = f"<section class='article-body'>{body(story, inline=False)}</section>"
        page = f"{nav()}<main>{title}{byline(story)}{section}{related('related', 'div')}</main>"
    else:
        lead = Story(story.id, story.title, "\n".join(story.paragraphs[:1]), story.published)
        wall = f"<div class='paywall-prompt'><p>{MARKERS['paywall']}</p></div>"
        page = f"{nav()}<article>{title}{byline(story)}{body(lead, inline=False)}{wall}</article>"
    return f"{top}<body>{page}{tail()}</body></html>"


ITEM = re.compile(r"<item\b.*?</item>", re.S)
LINKS = re.compile(r"(<link>|<feedburner:origLink>)(.*?)(</link>|</feedburner:origLink>)", re.S)


def rewrite_feed(xml: str, *, link_for: dict[int, str]) -> str:
    """The feed with item ``i``'s links (link, feedburner:origLink) set to ``link_for[i]``."""
    items = iter(range(10_000))

    def item(match: re.Match[str]) -> str:
        url = link_for.get(next(items))
        if url is None:
            return match.group(0)
        return LINKS.sub(lambda m: f"{m.group(1)}{e(url)}{m.group(3)}", match.group(0))

    return ITEM.sub(item, xml)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, punctuation apart (what token F1 compares)."""
    return re.findall(r"\w+|[^\w\s]", text.lower())


def token_f1(extracted: str, expected: str) -> float:
    """Token F1 (bag of tokens) of an extracted text against the story text."""
    from collections import Counter

    got, want = Counter(tokens(extracted)), Counter(tokens(expected))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)
