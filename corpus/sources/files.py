"""Article files: .json ({"text" | "html", "title", "published", ...}), .jsonl (one such object
a line), .txt and .html; folders are walked for them. Also the HTML-to-text helpers feeds use."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from corpus.errors import BadArticle
from corpus.sources import ArticleIn

SUFFIXES = (".json", ".jsonl", ".txt", ".html", ".htm")


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura), keeping paragraph breaks."""
    import trafilatura  # here: half a second to load, and most articles are text or JSON

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    return text or ""


class _TextCollector:
    """lxml parser target: text nodes of an HTML fragment, skipping scripts and styles; block tags
    break lines. libxml2's HTML parser reads in linear time and recovers from any markup (the
    stdlib HTMLParser took 4 s on 18 KB of '<a ', 4x more each doubling, and raised
    AssertionError on '<![ oops')."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})
    SKIP = frozenset({"script", "style", "noscript"})

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skipping = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def end(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def close(self) -> str:
        return "".join(self.parts)


def strip_tags(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blank runs collapsed.

    Never raises: malformed markup is recovered from or its text dropped."""
    collector = _TextCollector()
    parser = etree.HTMLParser(target=collector, recover=True, no_network=True)
    try:
        parser.feed(fragment)
        text = str(parser.close())
    except etree.LxmlError:  # not seen on any input; the text read so far is kept
        text = collector.close()
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def html_fragment_to_text(fragment: str) -> str:
    """Text of a feed's summary or content: trafilatura if it finds the main text, else tags
    stripped (trafilatura drops short fragments); plain text only has its entities decoded."""
    if "<" not in fragment:
        return " ".join(html.unescape(fragment).split())
    return html_to_text(fragment).strip() or strip_tags(fragment)


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


def parse_datetime(value: Any) -> datetime | None:
    """An ISO timestamp with its time ("2025-02-11T15:37:21-05:00"); None for a bare date."""
    text = str(value or "")
    if len(text) <= len("YYYY-MM-DD"):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


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
        published_at=parse_datetime(data.get("published")),
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
    if suffix == ".jsonl":
        raise BadArticle(f"{what}: a .jsonl file holds many articles; read it with iter_articles")
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


def read_json_line(line: bytes, *, what: str, max_bytes: int) -> ArticleIn:
    """One .jsonl line as an article; BadArticle says what is wrong with this line."""
    line = line.rstrip(b"\r\n")
    if len(line) > max_bytes:
        raise BadArticle(f"{what}: line is over the {max_bytes}-byte limit")
    try:
        article = from_json(json.loads(decode(line, what=what)), what=what)
    except json.JSONDecodeError as err:
        raise BadArticle(f"{what}: invalid JSON ({err.msg}, column {err.colno})") from err
    if not article.text.strip():
        raise BadArticle(f"{what}: no article text")
    return article


def iter_jsonl(path: Path, *, max_bytes: int) -> Iterator[ArticleIn | BadArticle]:
    """Each non-blank line of a .jsonl file: its article, or its own BadArticle ("path:line")."""
    try:
        with path.open("rb") as stream:
            for lineno, line in enumerate(_capped_lines(stream, max_bytes), start=1):
                if line.strip():
                    yield _attempt(line, what=f"{path}:{lineno}", max_bytes=max_bytes)
    except OSError as err:
        yield BadArticle(f"{path}: cannot read: {err.strerror}")


def _attempt(line: bytes, *, what: str, max_bytes: int) -> ArticleIn | BadArticle:
    try:
        return read_json_line(line, what=what, max_bytes=max_bytes)
    except BadArticle as err:
        return err


def _capped_lines(stream: Any, max_bytes: int) -> Iterator[bytes]:
    """Lines of a binary stream; a line over max_bytes comes back cut to max_bytes + 1 bytes
    (enough to be rejected) and the rest of it is skipped, so no line is held whole in memory."""
    while line := stream.readline(max_bytes + 1):
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := stream.readline(max_bytes + 1)) and not rest.endswith(b"\n"):
                pass
        yield line


def iter_articles(path: Path, *, max_bytes: int) -> Iterator[ArticleIn | BadArticle]:
    """Every article in one file (many for .jsonl): each an ArticleIn or the BadArticle why not."""
    if path.suffix.lower() == ".jsonl":
        yield from iter_jsonl(path, max_bytes=max_bytes)
        return
    try:
        yield read_article(path, max_bytes=max_bytes)
    except BadArticle as err:
        yield err


def iter_article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and article files (SUFFIXES) under folders named, sorted, hidden ones skipped.

    A named file is yielded whatever its suffix, so reading it says why it is unsupported."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        for found in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
            if found.is_file() and not hidden and found.suffix.lower() in SUFFIXES:
                yield found
