"""Text normalisation and the content hash, the idempotency key of an article.

Two submissions are the same article when their normalised texts are equal: Unicode NFC, one kind
of line break, no trailing spaces, runs of spaces and tabs folded to one, at most one blank line
between paragraphs, nothing around the whole. The stored text IS the normalised text, so the
extractor's offsets point into what the store keeps.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from corpus.errors import BadArticle

_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# C0 control characters other than tab and newline mark binary or mis-decoded input.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Characters of the lead (after the title) that near-duplicate matching compares.
LEAD_CHARS = 300


def normalize_text(text: str) -> str:
    """The canonical form of an article's text (see the module docstring)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def content_hash(normalized: str) -> str:
    """sha256 hex digest of a normalised text."""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def dedup_key(title: str | None, normalized: str) -> str:
    """Lower-cased title and lead, the string near-duplicates are compared on."""
    joined = f"{title or ''} {normalized[:LEAD_CHARS]}".casefold()
    return " ".join(joined.split())


def validate(text: str, *, max_bytes: int, what: str = "article") -> str:
    """The normalised text, or BadArticle when it is empty, binary or over ``max_bytes``."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise BadArticle(f"{what}: {size} bytes is over the {max_bytes}-byte limit")
    if "\ufffd" in text:
        raise BadArticle(f"{what}: badly encoded text (replacement characters)")
    found = _CONTROL.search(text)
    if found:
        raise BadArticle(f"{what}: binary content (control character {found.group()!r})")
    normalized = normalize_text(text)
    if not normalized:
        raise BadArticle(f"{what}: no article text")
    return normalized
