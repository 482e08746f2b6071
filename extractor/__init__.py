"""newsclaims' extractor: article text in, tickers, figures, quotes and claims out.

Pure: spaCy and the standard library only; no database, HTTP, environment variables or global files.
The caller builds the pipeline once with ``build_nlp(lexicon)`` and passes it to ``extract``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from spacy.language import Language
from spacy.tokens import Doc

from extractor import extensions  # noqa: F401  (registers the extensions)
from extractor.dates import EXCHANGE_TIME, Period, TradingCalendar, WeekdayCalendar
from extractor.lexicon import Instrument, Lexicon
from extractor.pipeline import build_nlp
from extractor.readout import read
from extractor.types import Claim, Extraction, Figure, Quote, Ticker

__all__ = [
    "Claim",
    "Extraction",
    "Figure",
    "Instrument",
    "Lexicon",
    "Period",
    "Quote",
    "Ticker",
    "TradingCalendar",
    "WeekdayCalendar",
    "build_nlp",
    "extract",
    "extract_many",
]

logger = logging.getLogger(__name__)

# Articles per nlp.pipe batch; larger batches gain little on 2 cores and hold more Docs in memory.
BATCH_SIZE = 32


def _prepare(nlp: Language, text: str, published: date | None) -> Doc:
    if len(text) > nlp.max_length:  # never spaCy's ValueError: read what fits (offsets still hold)
        logger.warning("text of %d characters read to its first %d", len(text), nlp.max_length)
        text = text[: nlp.max_length]
    doc = nlp.make_doc(text)
    if isinstance(published, datetime):
        local = published.astimezone(EXCHANGE_TIME) if published.tzinfo else published
        doc._.published_at = local.replace(tzinfo=None)
        doc._.published = local.date()
    else:
        doc._.published = published
    return doc


def extract(text: str, *, nlp: Language, published: date | None = None) -> Extraction:
    """Extract one article; ``published`` anchors relative dates ("on Tuesday").

    A ``datetime`` (aware, or naive in New York time) also places the article in the trading
    session: a move written at 11:26 ET is an intraday move.
    """
    return read(nlp(_prepare(nlp, text, published)))


def extract_many(
    items: Iterable[tuple[str, date | None]], *, nlp: Language, batch_size: int = BATCH_SIZE
) -> Iterator[Extraction]:
    """Extract (text, published) pairs in order, batching through ``nlp.pipe``."""
    docs = (_prepare(nlp, text, published) for text, published in items)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield read(doc)
