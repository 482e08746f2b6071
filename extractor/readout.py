"""Doc -> Extraction: the only code that reads our span groups back."""

from __future__ import annotations

from collections import defaultdict
from operator import attrgetter

from spacy.tokens import Doc

from extractor.components import mentions
from extractor.extensions import CLAIMS, FIGURES, QUOTES, TICKERS
from extractor.numbers import Amount
from extractor.types import Claim, Extraction, Figure, Quote, Ticker


def _group(doc: Doc, key: str) -> list:  # type: ignore[type-arg]
    return list(doc.spans[key]) if key in doc.spans else []


def read_tickers(doc: Doc) -> tuple[Ticker, ...]:
    """One Ticker per symbol, in order of first mention."""
    spots: dict[str, list[tuple[int, int]]] = defaultdict(list)
    names: dict[str, str | None] = {}
    for span in sorted(_group(doc, TICKERS), key=attrgetter("start_char")):
        if mentions.not_listed(span):  # "Dow Jones Newswires", "S&P 500 futures"
            continue
        spots[span.label_].append((span.start_char, span.end_char))
        names.setdefault(span.label_, span._.instrument_name)
    return tuple(Ticker(symbol, names[symbol], tuple(where)) for symbol, where in spots.items())


def figure_of(amount: Amount) -> Figure:
    """The contract view of an Amount (the bound stays with the claim)."""
    return Figure(
        text=amount.text,
        start=amount.start,
        end=amount.end,
        value=amount.value,
        unit=amount.unit,
        low=amount.low,
        high=amount.high,
        approx=amount.approx,
    )


def read(doc: Doc) -> Extraction:
    """Everything the components wrote, as contract types."""
    amounts: list[Amount] = [s._.amount for s in _group(doc, FIGURES) if s._.amount is not None]
    quotes: list[Quote] = [s._.quote for s in _group(doc, QUOTES) if s._.quote is not None]
    claims: list[Claim] = [c for s in _group(doc, CLAIMS) for c in s._.claim or ()]
    return Extraction(
        tickers=read_tickers(doc),
        figures=tuple(figure_of(a) for a in sorted(amounts, key=attrgetter("start"))),
        quotes=tuple(sorted(quotes, key=attrgetter("start"))),
        claims=tuple(claims),
    )
