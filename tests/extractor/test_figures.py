"""The newsclaims_figures component: which numbers become figures, and with what unit."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from extractor import extensions
from extractor.components import figures
from extractor.numbers import Amount


@pytest.fixture(scope="module")
def blank() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe(figures.FACTORY)
    return nlp


def found(nlp: Language, text: str) -> list[tuple[str, float | None, str]]:
    doc = nlp(text)
    amounts: list[Amount] = [s._.amount for s in doc.spans[extensions.FIGURES]]
    return [(a.text, a.value, a.unit) for a in amounts]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The S&P 500 rose 0.67% to end at 6,066.44 points.",
         [("0.67%", 0.67, "percent"), ("6,066.44 points", 6066.44, "points")]),
        ("The Dow was down 0.15% at 44,403.82.",
         [("0.15%", 0.15, "percent"), ("44,403.82", 44403.82, "points")]),
        ("DJIA drops 444 points, or 1%, to 44303.",
         [("444 points", 444.0, "points"), ("1%", 1.0, "percent"), ("44303", 44303.0, "points")]),
        ("The Cboe Volatility Index (VIX) increased 10.16% to 18.00.",
         [("10.16%", 10.16, "percent"), ("18.00", 18.0, "points")]),
        ("Apple shares closed at 187.50 on Friday.", [("187.50", 187.5, "usd")]),
        ("Okta is approaching an 87.98 buy point in a cup base.", [("87.98", 87.98, "usd")]),
        ("A total of 16.4 billion shares traded, below the average of 20.5 billion.",
         [("16.4 billion shares", 16.4e9, "shares"), ("20.5 billion", 20.5e9, "shares")]),
        ("Winners beat losers by nearly 10-to-1.", [("nearly 10-to-1", 10.0, "multiple")]),
        ("The Fear & Greed index sat at 3 on a scale of 0 to 100.",
         [("3", 3.0, "points"), ("0 to 100", None, "points")]),
        ("FCF margin: 0.28 x 0.915 = 25.6%",
         [("0.28 x", 0.28, "multiple"), ("0.915", 0.915, "multiple"), ("25.6%", 25.6, "percent")]),
    ],
)  # fmt: skip
def test_figure_finder_reads_levels_prices_and_units(
    blank: Language, text: str, expected: list[tuple[str, float | None, str]]
) -> None:
    assert found(blank, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "At 11:35 a.m. ET the market was open.",
        "It rose for 17 straight sessions over the past five years.",
        "Tesla has a Zacks Rank #2 and a Composite Rating of 98 out of 99.",
        "The S&P 500, the Russell 2000, the Nasdaq 100 and the IBD 50 all rose.",
        "COVID-19 drug sales appeared in the 10-K for Q4 and the 10-year note.",
        "Three indexes and 30 stocks hit highs on Feb. 7, 2025.",
        "Six of the 11 broad sectors rose; 33 of 34 components gained.",
        "Initial jobless claims fell to 229,000 from 242,000.",
        "The company was founded in 1998 and has 4,000 employees.",
        "The stocks are above their 200- and 50-day lines in the first half of the year.",
    ],
)
def test_figure_finder_skips_numbers_that_state_no_quantity(blank: Language, text: str) -> None:
    assert found(blank, text) == []


def test_figure_finder_keeps_hedge_in_text_and_offsets(blank: Language) -> None:
    text = "U.S. Steel rose more than 4% and Alcoa about 2%."
    doc = blank(text)
    amounts = [s._.amount for s in doc.spans[extensions.FIGURES]]
    assert [(a.text, a.bound, a.approx) for a in amounts] == [
        ("more than 4%", "at_least", False),
        ("about 2%", None, True),
    ]
    assert all(text[a.start : a.end] == a.text for a in amounts)


@pytest.mark.parametrize(
    "text", ["", "%%%", "$$ 1e", "\u2212\u2212 5 \u00bd", "\ufeff\u200b12.5\u00a0%", "ſ ½ K"]
)
def test_figure_finder_never_raises_on_odd_characters(blank: Language, text: str) -> None:
    found(blank, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Nasdaq composite soared 1,857 points, or 12.2%, to 17,124 on Wednesday.",
         [(1857.0, "points"), (12.2, "percent"), (17124.0, "points")]),
        ("Gilead shares rose to $100.50 in after-hours trading.", [(100.5, "usd")]),
    ],
)  # fmt: skip
def test_figure_finder_in_the_full_pipeline(
    nlp: Language, text: str, expected: list[tuple[float, str]]
) -> None:
    assert [(v, u) for _, v, u in found(nlp, text)] == expected
