"""The newsclaims_claims component (placeholder: writes an empty span group)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractor.extensions import CLAIMS

FACTORY = "newsclaims_claims"


class ClaimLinker:
    """Writes the CLAIMS span group."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[self.spans_key] = []
        return doc


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": CLAIMS})
def make_claims(nlp: Language, name: str, spans_key: str) -> ClaimLinker:
    return ClaimLinker(nlp.vocab, spans_key=spans_key)
