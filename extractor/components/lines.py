"""The newsclaims_lines component: a line break always starts a new sentence.

Commentary prints lists one item a line ("Ecolab Inc, up 7.4%") and headings without a full stop;
the parser alone joins them to the next line. Runs before the parser, which keeps preset boundaries.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "newsclaims_lines"


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
