"""The extractor never raises on odd text: arbitrary unicode, stray quote marks, huge numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from extractor import extract

ODD = [
    "",
    "\u201c",
    "'\"'\"'",
    "$$$ %%% (NYSE:) ($) 10-- --5% 1e999%",
    "The S&P 500 rose \u2212\u2212 3% to 99999999999999999999999 points.",
    "He said, \u201cunfinished",
    "\x00\x01\x02 \ufeff \u202e reversed",
]


@pytest.mark.parametrize("text", ODD)
def test_robustness_odd_text_gives_an_extraction(nlp: Language, text: str) -> None:
    out = extract(text, nlp=nlp, published=date(2025, 2, 10)).to_dict()
    for figure in out["figures"]:
        assert 0 <= figure["start"] <= figure["end"] <= len(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_robustness_arbitrary_unicode_never_raises(nlp: Language, text: str) -> None:
    extract(text, nlp=nlp, published=None)
