"""Hostile text goes through the real pipeline without raising (issue 10); bench/hostile_speed.py
times the same shapes at 1 MB. Sizes here are small enough for the suite; the long runs are cheap
and run at full size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from spacy.language import Language

from extractor import extract
from extractor.components.figures import MAX_FIGURES
from extractor.components.quote_marks import find_quotations, word_count
from extractor.components.quotes import MAX_QUOTATIONS
from extractor.pipeline import MAX_CHARS

MB = 1 << 20


def _cut(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "quotations": (lambda n: _cut('He said "stocks rose a lot" and ', n), 20_000),
    "short quotations": (lambda n: _cut('"a b" ', n), 20_000),
    "quote marks": (lambda n: _cut('"', n), 200_000),
    "spaced quote marks": (lambda n: _cut("\u201c \u2019 ", n), 20_000),
    "punctuation run": (lambda n: "!" * n, MB),
    "punctuation runs": (lambda n: _cut("!" * 999 + " ", n), 20_000),
    "dots": (lambda n: "Stocks rose" + "." * n, MB),
    "brackets": (lambda n: "(" * (n // 2) + ")" * (n // 2), MB),
    "spaced brackets": (lambda n: _cut("( [ { ", n), 20_000),
    "numbers": (lambda n: _cut("1.5% 2,300 $4.2 billion ", n), 60_000),
    "one line": (lambda n: _cut("Apple (AAPL) rose 3% on Tuesday, analysts said ", n), 20_000),
    "tickers": (lambda n: _cut("AAPL MSFT $NVDA (NYSE: IBM) ", n), 20_000),
    "letters": (lambda n: "a" * n, MB),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_hostile_text_gives_an_extraction(nlp: Language, shape: str) -> None:
    build, size = SHAPES[shape]
    text = build(size)
    out = extract(text, nlp=nlp, published=date(2025, 2, 10))
    assert len(out.figures) <= MAX_FIGURES
    assert len(out.quotes) <= MAX_QUOTATIONS
    for figure in out.figures:
        assert 0 <= figure.start <= figure.end <= len(text)


def test_hostile_text_past_max_length_is_read_to_max_length(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert nlp.max_length == MAX_CHARS  # spaCy's default (1,000,000) would refuse a 1 MB article
    monkeypatch.setattr(nlp, "max_length", 40)
    text = "Apple rose 3% on Tuesday, analysts said. Then it fell 2%."
    assert [f.text for f in extract(text, nlp=nlp).figures] == ["3%"]


def test_hostile_tokenizer_keeps_the_text(nlp: Language) -> None:
    text = "Stocks rose " + "!" * 5000 + " today \n" + "(" * 3000 + "\nend."
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert max(len(t) for t in doc) <= 1000


QUOTE_CASES: list[str] = [
    "\u201c" * 50_000,
    '"' + "a b " * 10 + '"' + ' x "' * 20_000,
    "'" * 50_000,
    "\u2018a\u2019 " * 20_000,
    '"a b" \n' * 20_000,
]


@pytest.mark.parametrize("text", QUOTE_CASES)
def test_hostile_quote_marks_pair_without_raising(text: str) -> None:
    quotations = find_quotations(text)
    for q in quotations:
        assert 0 <= q.start < q.end <= len(text)


def test_hostile_word_count_on_punctuation_runs() -> None:
    assert word_count("!" * 20_000) == 0
    assert word_count("!" * 20_000 + " a1 b") == 2
