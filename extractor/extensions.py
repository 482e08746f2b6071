"""Every Doc/Span extension and span-group key the pipeline uses, registered once at import.

Components write these; ``readout.py`` is the only code that reads them back.

Span groups (``doc.spans[KEY]``):
    TICKERS   one span per instrument mention; ``span.label_`` is the symbol,
              ``span._.instrument_name`` the display name.
    FIGURES   one span per number that states a quantity; ``span._.amount`` is a ``numbers.Amount``.
    PERIODS   one span per time expression; ``span._.period`` is a ``dates.Period``.
    QUOTES    one span per direct quotation (marks excluded); ``span._.quote`` a ``types.Quote``.
    CLAIMS    one span per figure that makes claims; ``span._.claim`` a tuple of ``types.Claim``
              (several when one figure is claimed of several instruments: "A and B rose 4% each").
Doc:
    ``doc._.published``  the article's date (``datetime.date`` or None), set before the pipeline.
    ``doc._.published_at`` the published time in US Eastern (a naive ``datetime``) when the article
                         gives one, else None; set before the pipeline.
    ``doc._.session``    "intraday" when the piece is plainly written during the session, else None.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

TICKERS = "newsclaims_tickers"
FIGURES = "newsclaims_figures"
PERIODS = "newsclaims_periods"
QUOTES = "newsclaims_quotes"
CLAIMS = "newsclaims_claims"

SPAN_KEYS = (TICKERS, FIGURES, PERIODS, QUOTES, CLAIMS)

_DOC = ("published", "published_at", "session")
_TEXT_KEY = "newsclaims_text"
_ENTS_KEY = "newsclaims_ents"
_SPAN = ("instrument_name", "amount", "period", "quote", "claim")


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per Doc (spaCy joins every token's text on each access)."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is None:
        cached = doc.user_data[_TEXT_KEY] = doc.text
    return str(cached)


def ents_of(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per Doc (spaCy builds new Spans on each access)."""
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        cached = doc.user_data[_ENTS_KEY] = tuple(doc.ents)
    return tuple(cached)


def register() -> None:
    """Register the extensions; safe to call more than once."""
    for name in _DOC:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in _SPAN:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register()
