"""The newsclaims_periods component (placeholder: writes an empty span group)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractor.extensions import PERIODS

FACTORY = "newsclaims_periods"


class PeriodFinder:
    """Writes the PERIODS span group."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key
        self.calendar: object = None  # set by pipeline.build_nlp

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = []
        return doc


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": PERIODS})
def make_periods(nlp: Language, name: str, spans_key: str) -> PeriodFinder:
    return PeriodFinder(nlp.vocab, spans_key=spans_key)
