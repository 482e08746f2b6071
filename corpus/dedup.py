"""Near-duplicates: the same wire story lightly edited, found with rapidfuzz on title and lead.

Exact duplicates never get here (the content hash catches them). ``RecentArticles`` keeps the
``dedup_key`` of the last ``window`` articles in memory and reads only the rows added since its
last look, so an ingest of thousands of files asks the database for a few new rows each time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from store.tables import Article


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    """The earlier article a new one nearly repeats, and how similar they are (0-100)."""

    article_id: int
    score: float


def best_match(
    key: str, candidates: list[tuple[int, str]], *, threshold: float
) -> NearDuplicate | None:
    """The most similar candidate (id, key) at or above ``threshold``, else None."""
    if not key or not candidates:
        return None
    found = process.extractOne(
        key, [k for _, k in candidates], scorer=fuzz.ratio, score_cutoff=threshold
    )
    if found is None:
        return None
    _, score, index = found
    return NearDuplicate(candidates[index][0], float(score))


class RecentArticles:
    """The most recent articles' keys, refreshed incrementally from the database."""

    def __init__(self, *, window: int, threshold: float) -> None:
        self.threshold = threshold
        self._keys: deque[tuple[int, str]] = deque(maxlen=window)
        self._last_id = 0

    def refresh(self, session: Session) -> None:
        """Read the articles added since the last refresh (at most ``window`` of them)."""
        window = self._keys.maxlen or 0
        rows = session.exec(
            select(Article.id, Article.dedup_key)
            .where(col(Article.id) > self._last_id)
            .order_by(col(Article.id).desc())
            .limit(window)
        ).all()
        for article_id, key in reversed(rows):
            self.add(article_id or 0, key)

    def add(self, article_id: int, key: str) -> None:
        """Remember an article just stored."""
        self._keys.append((article_id, key))
        self._last_id = max(self._last_id, article_id)

    def match(self, key: str) -> NearDuplicate | None:
        """The earlier article ``key`` nearly repeats, if any."""
        return best_match(key, list(self._keys), threshold=self.threshold)
