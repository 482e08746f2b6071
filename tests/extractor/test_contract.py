"""The JSON contract: to_dict() carries exactly the fields the scorer and the API read."""

from __future__ import annotations

from datetime import date

from spacy.language import Language

from extractor import extract
from extractor.types import Claim, Extraction, Figure, Quote, Ticker

FIGURE_KEYS = {"text", "start", "end", "value", "unit", "low", "high", "approx"}
QUOTE_KEYS = {"text", "start", "end", "speaker", "role", "org", "cue"}
CLAIM_KEYS = {
    "subject",
    "metric",
    "value",
    "unit",
    "low",
    "high",
    "approx",
    "bound",
    "start",
    "end",
    "session",
    "kind",
    "text",
    "offsets",
    "basis",
}


def test_contract_keys_match_the_scorer() -> None:
    extraction = Extraction(
        tickers=(Ticker("SPY", "SPDR S&P 500 ETF Trust", ((0, 3),)),),
        figures=(Figure("15.9%", 10, 15, 15.9, "percent"),),
        quotes=(Quote("We like it", 0, 10, "Ann Lee", None, None, "said"),),
        claims=(
            Claim(
                "SPY",
                "price_return",
                15.9,
                "percent",
                "historical",
                "SPY rose 15.9%.",
                (9, 14),
                start=date(2024, 12, 31),
                end=date(2025, 10, 8),
            ),
        ),
    )
    out = extraction.to_dict()
    assert set(out) == {"tickers", "figures", "quotes", "claims"}
    assert set(out["tickers"][0]) == {"symbol", "name", "mentions"}
    assert set(out["figures"][0]) == FIGURE_KEYS
    assert set(out["quotes"][0]) == QUOTE_KEYS
    assert set(out["claims"][0]) == CLAIM_KEYS
    assert out["claims"][0]["start"] == "2024-12-31"


def test_extract_returns_the_contract_on_plain_text(nlp: Language) -> None:
    out = extract("Markets were quiet.", nlp=nlp, published=date(2025, 2, 10)).to_dict()
    assert set(out) == {"tickers", "figures", "quotes", "claims"}
