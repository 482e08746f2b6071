"""The newsclaims_figures component (placeholder: writes an empty span group)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractor.extensions import FIGURES

FACTORY = "newsclaims_figures"


class FigureFinder:
    """Writes the FIGURES span group."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = []
        return doc


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": FIGURES})
def make_figures(nlp: Language, name: str, spans_key: str) -> FigureFinder:
    return FigureFinder(nlp.vocab, spans_key=spans_key)
