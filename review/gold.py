"""Reviewers' work as evaluation data: ``export_gold()`` writes reviewed articles as gold.

Each article with at least one decision becomes two files in the folder, as in
``../shared/corpus/README.md``: ``nc<id>.json`` (id, title, published, source, url, text) and
``nc<id>.gold.json`` (tickers, figures, quotes, claims), which ``../shared/eval/score.py`` reads.
The claims are the readings after review:
- a corrected claim with its corrected fields and the verdict of its re-check;
- a confirmed discrepancy as it was read, ``contradicted``;
- a dismissed claim is left out: the reviewer said the reading was wrong (or no claim), and the
  right reading is not known;
- a claim nobody decided on as the extractor read it, with its verdict.
Tickers, figures and quotes are the extractor's: reviews do not touch them yet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from store import queries
from store.rows import to_claim
from store.tables import Article, CheckRow, ClaimRow, FigureRow, QuoteRow, Review, TickerMention

PREFIX = "nc"  # file ids: nc<article id>, apart from the shared corpus's a/w ids
FACT_LIMIT = 10_000  # facts read per article and kind (articles are held to 2 MB)


def reviewed_articles(session: Session) -> list[int]:
    """Ids of the articles with at least one decision, in id order."""
    statement = (
        select(ClaimRow.article_id)
        .join(Review, col(Review.claim_id) == col(ClaimRow.id))
        .distinct()
        .order_by(col(ClaimRow.article_id))
    )
    return [int(a) for a in session.exec(statement)]


def export_gold(session: Session, folder: Path) -> list[Path]:
    """Write every reviewed article and its gold into ``folder``; the gold files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for article_id in reviewed_articles(session):
        article = session.get(Article, article_id)
        if article is None:
            continue
        name = f"{PREFIX}{article_id}"
        _write(folder / f"{name}.json", article_json(article, name))
        written.append(_write(folder / f"{name}.gold.json", gold_json(session, article_id)))
    return written


def article_json(article: Article, name: str) -> dict[str, Any]:
    published = article.published.isoformat() if article.published else None
    return {
        "id": name, "title": article.title, "published": published, "source": article.source,
        "url": article.url, "text": article.text,
    }  # fmt: skip


def gold_json(session: Session, article_id: int) -> dict[str, Any]:
    """One article's tickers, figures, quotes and reviewed claims, in the gold format."""

    def facts(kind: str) -> list[Any]:
        return queries.article_facts(session, article_id, kind, limit=FACT_LIMIT)

    tickers: list[TickerMention] = facts("tickers")
    figures: list[FigureRow] = facts("figures")
    quotes: list[QuoteRow] = facts("quotes")
    same_article = queries.ClaimFilter(article_id=article_id)
    claims = queries.list_claims(session, same_article, limit=FACT_LIMIT)
    return {
        "tickers": sorted({t.symbol for t in tickers}),
        "figures": [_figure(f) for f in figures if f.unit != "count"],
        "quotes": [{"text": q.text, "speaker": q.speaker, "org": q.org} for q in quotes],
        "claims": [c for row, check in claims if (c := _claim(row, check)) is not None],
    }


def _figure(row: FigureRow) -> dict[str, Any]:
    return {
        "text": row.text,
        "value": row.value,
        "unit": row.unit,
        "low": row.low,
        "high": row.high,
    }


def _claim(row: ClaimRow, check: CheckRow | None) -> dict[str, Any] | None:
    """A claim as the gold holds it, or None for a dismissed one."""
    if check is not None and check.review_status == "dismissed":
        return None
    contract = to_claim(row).to_dict()
    keep = ("subject", "metric", "value", "low", "high", "start", "end", "kind", "text")
    claim = {k: contract[k] for k in keep}
    claim |= {k: contract[k] for k in ("session", "bound") if contract.get(k)}
    claim |= {"approx": True} if contract.get("approx") else {}
    claim["verdict"] = check.verdict if check is not None else None
    return claim


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
