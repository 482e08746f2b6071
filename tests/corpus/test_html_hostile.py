"""The HTML readers never raise and take linear time on hostile markup (issue 10)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.sources.files import html_fragment_to_text, html_to_text, strip_tags

HOSTILE = [
    ("Stocks rose. <![ oops", "Stocks rose."),
    ("<a " * 6000, ""),
    ("<div>" * 100_000 + "deep", "deep"),
    ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
    ("<!-- never closed " + "x" * 1000, ""),
    ("<" * 100_000, None),
    ("a &amp; b &bogus; &#xffffffff; c", None),
    ("<script>if (a < b) {</script>after", "after"),
    ("\x00<p>nul</p>", None),
]


@pytest.mark.parametrize(("fragment", "expected"), HOSTILE)
def test_strip_tags_reads_hostile_markup(fragment: str, expected: str | None) -> None:
    text = strip_tags(fragment)
    assert isinstance(text, str)
    if expected is not None:
        assert text == expected


@pytest.mark.parametrize(("fragment", "expected"), HOSTILE)
def test_html_fragment_to_text_never_raises(fragment: str, expected: str | None) -> None:
    assert isinstance(html_fragment_to_text(fragment), str)


def test_strip_tags_keeps_blocks_and_drops_scripts() -> None:
    fragment = "<h1>Title</h1><p>One &amp; two</p><style>p {}</style><ul><li>three</li></ul>"
    assert strip_tags(fragment) == "Title\n\nOne & two\n\nthree"


@settings(max_examples=80, deadline=None)
@given(fragment=st.text(max_size=400))
def test_html_readers_never_raise_on_any_text(fragment: str) -> None:
    assert isinstance(strip_tags(fragment), str)
    assert isinstance(html_fragment_to_text(fragment), str)
    assert isinstance(html_to_text(fragment), str)


MARKUP = st.sampled_from(["<p>", "</p>", "<div>", "<a href='x'>", "</a>", "<br>", "<![", "<!--"])


@settings(max_examples=80, deadline=None)
@given(parts=st.lists(st.one_of(MARKUP, st.text(max_size=20)), max_size=40))
def test_html_readers_never_raise_on_tag_soup(parts: list[str]) -> None:
    fragment = "".join(parts)
    assert isinstance(strip_tags(fragment), str)
    assert isinstance(html_fragment_to_text(fragment), str)


WORDS = st.lists(st.from_regex(r"[A-Za-z0-9.,%$]{1,12}", fullmatch=True), min_size=1, max_size=30)


@settings(max_examples=80, deadline=None)
@given(words=WORDS)
def test_strip_tags_keeps_text_without_markup(words: list[str]) -> None:
    text = " ".join(words)
    assert strip_tags(text) == text
    assert html_fragment_to_text(text) == text
