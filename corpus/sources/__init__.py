"""Where articles come from: files (files.py); later HTTP submit and feeds. All yield ArticleIn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class ArticleIn:
    """An article as it arrives, before it is stored: text plus what we know about it."""

    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
