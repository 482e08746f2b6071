"""Where articles come from: files (files.py); later HTTP submit and feeds. All yield ArticleIn."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ArticleIn:
    """An article as it arrives, before it is stored: text plus what we know about it."""

    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None  # with its offset, when the source gives a time

    @property
    def dated(self) -> date | None:
        """What the extractor is given: the published time when known, else the date."""
        return self.published_at or self.published
