"""The quotes component: which quotations are found, and who they are attributed to."""

from __future__ import annotations

import pytest
from spacy.language import Language

from extractor.components.quote_marks import find_quotations, looks_like_title
from extractor.extensions import QUOTES
from extractor.types import Quote


def _quotes(nlp: Language, text: str) -> list[Quote]:
    doc = nlp(text)
    return [span._.quote for span in doc.spans[QUOTES]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Prices will keep rising this year," he said.', ["Prices will keep rising this year"]),
        ("\u201cWe see more upside for banks,\u201d she said.", ["We see more upside for banks"]),
        (
            "'Margins held up better than we feared,' the CEO wrote.",
            ["Margins held up better than we feared"],
        ),
        (
            "\"Traders keep telling me, 'Sell the rally now,' every week,\" she said.",
            ["Traders keep telling me, 'Sell the rally now,' every week"],
        ),
        (
            '"Rates are too high," she said, "and the Fed knows it well."',
            ["Rates are too high", "and the Fed knows it well"],
        ),
        (
            '"The first part goes on here.\n\n"And it ends in the next paragraph," he said.',
            ['The first part goes on here.\n\n"And it ends in the next paragraph'],
        ),
        ("Investors' worries about the '90s don't matter, analysts' notes say.", []),
        ("Fears of an 'AI bubble' and a \"noisy month\" faded.", []),
        ('He titled the chapter "Return of the Bears."', []),
        (
            "Acme\u2019s view: \u201cDemand has not cooled at all yet.\u201d",
            ["Demand has not cooled at all yet"],
        ),
    ],
)
def test_quotes_finds_direct_quotations(nlp: Language, text: str, expected: list[str]) -> None:
    quotes = _quotes(nlp, text)
    assert [q.text for q in quotes] == expected
    assert all(text[q.start : q.end] == q.text for q in quotes)


@pytest.mark.parametrize(
    ("text", "speaker", "role", "org"),
    [
        (
            '"Earnings are the main driver of this rally," said John Carter, chief investment '
            "strategist at Morgan Stanley.",
            "John Carter",
            "chief investment strategist",
            "Morgan Stanley",
        ),
        (
            '"We like small companies in this market," stated Ann Lee, U.S. Head of Active ETFs '
            "at Acme Funds.",
            "Ann Lee",
            "U.S. Head of Active ETFs",
            "Acme Funds",
        ),
        (
            'Analysts at Goldman Sachs said the bank\'s clients "are buying every single dip."',
            None,
            None,
            "Goldman Sachs",
        ),
        ('"Nobody expected the jobs report to be this strong," the trader said.', None, None, None),
        (
            "Maria Lopez, a portfolio manager at Fidelity, spoke on Monday. "
            '"Bond yields are still far too volatile for us," Lopez said.',
            "Maria Lopez",
            "portfolio manager",
            "Fidelity",
        ),
        (
            "Maria Lopez, a portfolio manager at Fidelity, spoke on Monday. "
            '"Bond yields are still far too volatile for us," she added.',
            "Maria Lopez",
            "portfolio manager",
            "Fidelity",
        ),
        ('John Carter added: "The Fed will cut rates twice this year."', "John Carter", None, None),
        (
            "Kim Min-jun, an analyst at Mirae Asset Securities, spoke on Monday. "
            '"Tariffs are seen more as bargaining chips for now," Kim said.',
            "Kim Min-jun",
            "analyst",
            "Mirae Asset Securities",
        ),
        (
            'Morgan Stanley analyst Maria Lopez sees the chipmaker "well placed to win more '
            'data-center orders this year."',
            "Maria Lopez",
            "analyst",
            "Morgan Stanley",
        ),
    ],
)
def test_quotes_attributes_speaker(
    nlp: Language, text: str, speaker: str | None, role: str | None, org: str | None
) -> None:
    (quote,) = _quotes(nlp, text)
    assert (quote.speaker, quote.role, quote.org) == (speaker, role, org)


def test_quotes_split_quotation_keeps_its_speaker(nlp: Language) -> None:
    text = (
        '"Rates are too high for housing," said John Carter, an economist at Morgan Stanley. '
        '"The Fed knows it and will act soon."'
    )
    assert [q.speaker for q in _quotes(nlp, text)] == ["John Carter", "John Carter"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        '""',
        "\u201d stray closing mark and then some words here",
        'An opening mark " in the middle of a sentence that never closes.',
        "It\u2019s the \u2018Fab Five\u201d trade, she said\u2019.",
        '"Unclosed quotation at the start of a paragraph with many words\n\nNext paragraph.',
        "''''\"\"\"\u201c\u201c\u201d\u2019\u2018",
        "",
        "\n\n\"\n\n'\n",
    ],
)
def test_quotes_odd_marks_never_fail(nlp: Language, text: str) -> None:
    for quote in _quotes(nlp, text):
        assert 0 <= quote.start < quote.end <= len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "one two three four" twice.', ["one two three four"]),
        ("Fab Five\u201d term and the \u201cDrab Five\u201d.", ["Drab Five"]),
        ("The firm's 'buy' call on Acme Corp.'s stock.", ["buy"]),
        ('"Unclosed at the paragraph start\n\nNext.', ["Unclosed at the paragraph start"]),
        ('Mid-paragraph "unclosed opening\n\nNext.', []),
    ],
)
def test_find_quotations_pairs_marks(text: str, expected: list[str]) -> None:
    assert [text[q.start : q.end] for q in find_quotations(text)] == expected


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("Return of the Bears", True),
        ("Top Picks for Today", True),
        ("Small caps catching up with U.S. megacaps", False),
        ("We See Value in This Market Again Today and Tomorrow Too", False),
    ],
)
def test_looks_like_title_spots_titles(quote: str, expected: bool) -> None:
    assert looks_like_title(quote) is expected
