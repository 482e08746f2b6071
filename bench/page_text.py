"""Token F1 of the text newsclaims keeps from generated article pages, next to trafilatura's bare
``extract`` on the same pages.

Pages come from tests/corpus/pages_support.py: stories of ../shared/corpus/wild wrapped in page
furniture (navigation, cookie banner, ads, related lists, share bar, newsletter box, comments,
scripts, JSON-LD) in three full layouts; paywalled pages are left out (they hold no story).
F1 is over lower-cased word and punctuation tokens (bags). Also counts pages in which a
furniture marker phrase survived. Goal: mean F1 >= 0.95. Prints numbers, asserts nothing.

    uv run python bench/page_text.py [--pages 120]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "corpus"))
from pages_support import MARKERS, build_page, layout_of, load_stories, token_f1

from corpus.pages import read_page

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> None:
    """Score both extractors over the first --pages full pages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "wild")
    args = parser.parse_args()
    stories = [s for s in load_stories(args.corpus) if layout_of(s.id) != "paywall"]
    stories = stories[: args.pages]
    ours, bare, leaks, seconds = [], [], {"ours": 0, "bare": 0}, 0.0
    for story in stories:
        url = f"https://news.example/articles/{story.id}"
        page = build_page(story, layout=layout_of(story.id), canonical=url)
        began = time.perf_counter()
        text = read_page(page.encode(), url=url).text
        seconds += time.perf_counter() - began
        plain = trafilatura.extract(page) or ""
        ours.append(token_f1(text, story.text))
        bare.append(token_f1(plain, story.text))
        leaks["ours"] += any(m in text for m in MARKERS.values())
        leaks["bare"] += any(m in plain for m in MARKERS.values())
    print(f"{len(stories)} pages ({args.corpus.name}, layouts classic/divs/main)")
    rows = (
        ("newsclaims read_page", ours, leaks["ours"]),
        ("trafilatura.extract", bare, leaks["bare"]),
    )
    for name, scores, leaked in rows:
        print(
            f"  {name:<22} mean F1 {statistics.mean(scores):.4f}  min {min(scores):.4f}  "
            f"pages with furniture {leaked}"
        )
    print(f"  read_page: {len(stories) / seconds:.1f} pages/s")


if __name__ == "__main__":
    main()
