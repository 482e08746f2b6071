"""The claim linker: subject, metric, sign, kind and period for each figure, on real parses."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from extractor import extract

MONDAY = date(2025, 2, 10)

# (text, expected claims as (subject, metric, value, kind))
CLAIMS = [
    ("Nvidia rose 2.9% on Monday.", [("NVDA", "price_return", 2.9, "historical")]),
    ("Tesla ended down 3% after the report.", [("TSLA", "price_return", -3.0, "historical")]),
    (
        "Nvidia and Broadcom climbed 2.9% and 4.5%, respectively.",
        [("NVDA", "price_return", 2.9, "historical"), ("AVGO", "price_return", 4.5, "historical")],
    ),
    (
        "Nucor and Steel Dynamics rose more than 4% each.",
        [("NUE", "price_return", 4.0, "historical"), ("STLD", "price_return", 4.0, "historical")],
    ),
    (
        "The S&P 500 rose 0.67% to end at 6,066.44 points.",
        [
            ("^GSPC", "price_return", 0.67, "historical"),
            ("^GSPC", "price_level", 6066.44, "historical"),
        ],
    ),
    (
        "The Dow Jones Industrial Average fell 444 points, or 1%, to 44,303.",
        [
            ("^DJI", "price_change", -444.0, "historical"),
            ("^DJI", "price_return", -1.0, "historical"),
            ("^DJI", "price_level", 44303.0, "historical"),
        ],
    ),
    (
        "Indexes up: S&P 500 0.67%, Dow 0.38%",
        [
            ("^GSPC", "price_return", 0.67, "historical"),
            ("^DJI", "price_return", 0.38, "historical"),
        ],
    ),
    (
        "A correction of 20% in the S&P 500 could follow.",
        [
            ("^GSPC", "price_return", -20.0, "hypothetical"),
        ],
    ),
    (
        "Analysts expect the S&P 500 to reach 7,750 by the end of 2026.",
        [
            ("^GSPC", "target_level", 7750.0, "forecast"),
        ],
    ),
    # Not price claims: tariffs, revenue growth, per-share earnings, sector moves.
    ("Trump said he would impose 25% tariffs on steel.", []),
    ("Apple's revenue rose 4% to $95 billion.", []),
    ("Kroger's earnings per share fell 6% to $4.47.", []),
    ("All 11 of the S&P 500's sectors fell, led by Consumer Staples -2.5%.", []),
]


@pytest.mark.parametrize(("text", "expected"), CLAIMS)
def test_claims_link_figures_to_instruments(
    nlp: Language, text: str, expected: list[tuple[str, str, float, str]]
) -> None:
    claims = extract(text, nlp=nlp, published=MONDAY).claims
    found = sorted((c.subject, c.metric, c.value, c.kind) for c in claims)
    assert found == sorted(expected)


def test_claims_period_of_a_daily_move(nlp: Language) -> None:
    (claim,) = extract("Nvidia rose 2.9% on Monday.", nlp=nlp, published=MONDAY).claims
    assert (claim.start, claim.end) == (date(2025, 2, 7), MONDAY)


def test_claims_year_to_date_across_new_year(nlp: Language) -> None:
    text = "As of October 8, 2025, the SPDR S&P 500 ETF (SPY) has gained 15.9% year to date."
    (claim,) = extract(text, nlp=nlp, published=date(2025, 10, 9)).claims
    assert (claim.subject, claim.start, claim.end) == ("SPY", date(2024, 12, 31), date(2025, 10, 8))


def test_claims_text_and_offsets_point_at_the_figure(nlp: Language) -> None:
    text = "Amazon gained 1.7%."
    (claim,) = extract(text, nlp=nlp, published=MONDAY).claims
    assert text[claim.offsets[0] : claim.offsets[1]] == "1.7%"
    assert claim.text == text
