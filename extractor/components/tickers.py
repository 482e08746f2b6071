"""The newsclaims_tickers component (placeholder: writes an empty span group)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractor.extensions import TICKERS

FACTORY = "newsclaims_tickers"


class TickerFinder:
    """Writes the TICKERS span group."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key
        self.lexicon: object = None  # set by pipeline.build_nlp

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = []
        return doc


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": TICKERS})
def make_tickers(nlp: Language, name: str, spans_key: str) -> TickerFinder:
    return TickerFinder(nlp.vocab, spans_key=spans_key)
