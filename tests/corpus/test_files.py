"""Article files: .jsonl read line by line, folders walked, HTML fragments to text."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.errors import BadArticle
from corpus.sources import ArticleIn
from corpus.sources.files import (
    html_fragment_to_text,
    iter_article_files,
    iter_articles,
    read_article,
)

LIMIT = 200
LINES: list[tuple[bytes, str | None]] = [
    # one .jsonl line, the reason it is rejected (None: read)
    (b'{"text": "Stocks rose 2%.", "title": "Up", "published": "2025-02-10"}', None),
    (b'{"html": "<html><body><p>Bonds fell sharply on Friday.</p></body></html>"}', None),
    (b"", None),  # blank lines are skipped, not rejected
    (b'{"text": "unterminated', "invalid JSON"),
    (b'["a list"]', "expected a JSON object"),
    (b'{"title": "no text"}', "'text' must be a string"),
    (b'{"text": "   "}', "no article text"),
    (b'{"text": "x", "published": "Tuesday"}', "published is not a date"),
    (b'{"text": "caf\xe9"}', "not valid UTF-8"),
    (b'{"text": "\x00"}', "binary content"),
    (b'{"text": "' + b"y" * LIMIT + b'"}', f"over the {LIMIT}-byte limit"),
]


def test_iter_articles_rejects_each_jsonl_line_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b"\n".join(line for line, _ in LINES) + b"\n")
    results = list(iter_articles(path, max_bytes=LIMIT))
    expected = [(n, reason) for n, (line, reason) in enumerate(LINES, start=1) if line]
    assert len(results) == len(expected)
    for result, (lineno, reason) in zip(results, expected, strict=True):
        if reason is None:
            assert isinstance(result, ArticleIn)
        else:
            assert isinstance(result, BadArticle)
            assert str(result).startswith(f"{path}:{lineno}: ")
            assert reason in str(result)


def test_iter_articles_reads_jsonl_fields(tmp_path: Path) -> None:
    path = tmp_path / "one.jsonl"
    path.write_bytes(LINES[0][0] + b"\n" + LINES[1][0])  # no newline at the end
    first, second = iter_articles(path, max_bytes=LIMIT)
    assert isinstance(first, ArticleIn)
    assert (first.text, first.title, str(first.published)) == (
        "Stocks rose 2%.",
        "Up",
        "2025-02-10",
    )
    assert isinstance(second, ArticleIn)
    assert second.text == "Bonds fell sharply on Friday."


def test_iter_articles_wraps_single_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Oil gained 1%.")
    (tmp_path / "b.txt").write_bytes(b"")
    assert list(iter_articles(tmp_path / "a.txt", max_bytes=LIMIT)) == [
        ArticleIn(text="Oil gained 1%.")
    ]
    [error] = iter_articles(tmp_path / "b.txt", max_bytes=LIMIT)
    assert isinstance(error, BadArticle)
    [missing] = iter_articles(tmp_path / "gone.jsonl", max_bytes=LIMIT)
    assert isinstance(missing, BadArticle)
    assert "cannot read" in str(missing)


def test_read_article_points_jsonl_to_iter_articles(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n')
    with pytest.raises(BadArticle, match="iter_articles"):
        read_article(tmp_path / "a.jsonl", max_bytes=LIMIT)


def test_iter_article_files_walks_folders(tmp_path: Path) -> None:
    for name in ["b/2.json", "b/c/3.jsonl", "a.txt", "b/notes.md", ".git/x.json", "b/.hidden.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    named = tmp_path / "b" / "notes.md"  # named explicitly: yielded, so reading it says why not
    found = list(iter_article_files([tmp_path, named]))
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.txt",
        "b/2.json",
        "b/c/3.jsonl",
        "b/notes.md",
    ]


FRAGMENTS = [
    ("Despite the S&amp;P 500 closing high, the index&#039;s internals", "Despite the S&P 500"),
    ("<p>Shares rose <b>3%</b>.</p><script>var x = 1;</script>", "Shares rose 3%."),
    (
        'Gold fell 1%.<div class="feedflare"><a href="#"><img src="x.gif"/></a></div>',
        "Gold fell 1%.",
    ),
    ("", ""),
]


@pytest.mark.parametrize(("fragment", "start"), FRAGMENTS)
def test_html_fragment_to_text_decodes_and_strips(fragment: str, start: str) -> None:
    text = html_fragment_to_text(fragment)
    assert text.startswith(start)
    assert "<" not in text
    assert "&#" not in text
