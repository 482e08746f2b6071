"""Sentence components: a line break always starts a sentence, and sentences are indexed once.

newsclaims_lines runs before the parser, which keeps preset boundaries: commentary prints lists
one item a line ("Ecolab Inc, up 7.4%") and headings without a full stop, which the parser alone
joins to the next line. newsclaims_sentences runs after it and answers ``span.sent`` from an index
built once per Doc: spaCy's own ``Span.sent`` rescans the whole Doc on every call, which made
sentence lookups the largest cost of our components.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

FACTORY = "newsclaims_lines"
INDEX_FACTORY = "newsclaims_sentences"


class LineBreaker:
    """Marks the first token after any newline as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
                if not token.is_space:
                    token.is_sent_start = True
        return doc


@Language.factory(FACTORY)
def make_lines(nlp: Language, name: str) -> LineBreaker:
    return LineBreaker()


class SentenceIndex:
    """Installs ``sent`` hooks that find a span's sentence by bisecting the sentence starts."""

    def __call__(self, doc: Doc) -> Doc:
        sents = list(doc.sents)
        starts = [sent.start for sent in sents]

        def span_sent(span: Span) -> Span:
            return sents[max(bisect_right(starts, span.start) - 1, 0)]

        def token_sent(token: Token) -> Span:
            return sents[max(bisect_right(starts, token.i) - 1, 0)]

        if sents:
            doc.user_span_hooks["sent"] = span_sent
            doc.user_token_hooks["sent"] = token_sent
        return doc


@Language.factory(INDEX_FACTORY)
def make_sentence_index(nlp: Language, name: str) -> SentenceIndex:
    return SentenceIndex()
