"""Article files: .json ({"text" | "html", "title", "published", ...}), .txt and .html."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import trafilatura

from corpus.errors import BadArticle
from corpus.sources import ArticleIn

SUFFIXES = (".json", ".txt", ".html", ".htm")


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura), keeping paragraph breaks."""
    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    return text or ""


def decode(raw: bytes, *, what: str) -> str:
    """UTF-8 (with or without BOM) text, or BadArticle for binary and other encodings."""
    if b"\x00" in raw:
        raise BadArticle(f"{what}: binary content (NUL bytes), not an article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadArticle(f"{what}: not valid UTF-8 (byte {err.start})") from err


def parse_date(value: Any, *, what: str) -> date | None:
    """An ISO date (a longer timestamp is cut to its date); None stays None."""
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as err:
        raise BadArticle(f"{what}: published is not a date: {value!r}") from err


def from_json(data: Any, *, what: str) -> ArticleIn:
    """An ArticleIn from a decoded JSON object."""
    if not isinstance(data, dict):
        raise BadArticle(f"{what}: expected a JSON object with a 'text' field")
    text = data.get("text")
    if not text and data.get("html"):
        text = html_to_text(str(data["html"]))
    if not isinstance(text, str):
        raise BadArticle(f"{what}: 'text' must be a string")
    return ArticleIn(
        text=text,
        title=data.get("title") if isinstance(data.get("title"), str) else None,
        published=parse_date(data.get("published"), what=what),
        source=data.get("source") if isinstance(data.get("source"), str) else None,
        url=data.get("url") if isinstance(data.get("url"), str) else None,
    )


def read_article(path: Path, *, max_bytes: int) -> ArticleIn:
    """Read one article file; BadArticle says what is wrong with it."""
    what = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise BadArticle(f"{what}: unsupported file type (use {', '.join(SUFFIXES)})")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadArticle(f"{what}: {size} bytes is over the {max_bytes}-byte limit")
        raw = path.read_bytes()
    except OSError as err:
        raise BadArticle(f"{what}: cannot read: {err.strerror}") from err
    content = decode(raw, what=what)
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            article = from_json(json.loads(content), what=what)
        except json.JSONDecodeError as err:
            raise BadArticle(f"{what}: invalid JSON ({err.msg}, line {err.lineno})") from err
    elif suffix in (".html", ".htm"):
        article = ArticleIn(text=html_to_text(content))
    else:
        article = ArticleIn(text=content)
    if not article.text.strip():
        raise BadArticle(f"{what}: no article text")
    return article
