"""Text normalisation (the idempotency key) and near-duplicate matching."""

from __future__ import annotations

import pytest

from corpus.dedup import best_match
from corpus.errors import BadArticle
from corpus.normalize import content_hash, dedup_key, normalize_text, validate

SAME_TEXT = [
    ("Stocks rose.\nBonds fell.", "Stocks rose.\r\nBonds fell.  "),
    ("Stocks  rose.", "Stocks\trose."),
    ("A.\n\nB.", "A.\n\n\n\n  B.\n"),
    ("Café", "Cafe\u0301"),  # NFC: é composed or as e + combining accent
    ("S&P 500", "S&P\u00a0500"),
]


@pytest.mark.parametrize(("a", "b"), SAME_TEXT)
def test_normalize_same_article_same_hash(a: str, b: str) -> None:
    assert content_hash(normalize_text(a)) == content_hash(normalize_text(b))


def test_normalize_different_words_different_hash() -> None:
    assert content_hash(normalize_text("SPY rose 1%.")) != content_hash(
        normalize_text("SPY rose 2%.")
    )


REJECTED = [
    ("", "no article text"),
    ("  \n\t ", "no article text"),
    ("abc\x00def", "binary content"),
    ("caf\ufffd", "badly encoded"),
    ("x" * 101, "over the 100-byte limit"),
]


@pytest.mark.parametrize(("text", "reason"), REJECTED)
def test_normalize_validate_rejects_with_reason(text: str, reason: str) -> None:
    with pytest.raises(BadArticle, match=reason):
        validate(text, max_bytes=100)


WIRE = (
    "Nvidia shares rose 3.2% on Tuesday after the chipmaker reported record data-center revenue "
    "and raised its outlook for the current quarter, lifting the Nasdaq Composite to a new high."
)
# (title, lead, is a near-duplicate of ("Nvidia rallies", WIRE)). The threshold (90, settings
# dedup_threshold) was set by hand on such pairs: light edits score 94-100, other stories < 50.
NEAR = [
    ("Nvidia rallies", WIRE, True),
    ("Nvidia rallies on record revenue", WIRE, True),
    ("Nvidia rallies", WIRE.replace("Tuesday", "Wednesday"), True),
    ("Nvidia rallies", WIRE.replace("lifting", "sending").replace("a new high", "a record"), True),
    ("Nvidia rallies", WIRE.replace("3.2%", "3.4%").replace(", lifting", ". It lifted"), True),
    ("Oil slips", "Crude oil fell 2% as OPEC signalled more supply; energy shares lagged.", False),
    ("Nvidia falls", "Nvidia shares fell 5% after export curbs; chip stocks dropped.", False),
]


@pytest.mark.parametrize(("title", "lead", "expected"), NEAR)
def test_dedup_marks_light_edits_only(title: str, lead: str, expected: bool) -> None:
    earlier = [(7, dedup_key("Nvidia rallies", normalize_text(WIRE)))]
    found = best_match(dedup_key(title, normalize_text(lead)), earlier, threshold=90)
    assert (found is not None and found.article_id == 7) is expected
