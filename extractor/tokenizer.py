"""spaCy's tokenizer, guarded so that hostile text takes linear time; ordinary text is unchanged.

spaCy strips affixes from a whitespace-free run one at a time, and each step searches the suffix
pattern over the whole rest of the run (and hashes and copies it): a run of n punctuation marks
costs O(n^2) ('!' * 10,000 took 18 s, so a 1 MB run would take days). Two guards:

- suffix searches start SUFFIX_WINDOW characters before the end of the run. spaCy only reads the
  length of the match, and every suffix pattern is a few characters long except a run of dots
  ("....."): when a match fills the window the whole run is searched, as before;
- a run longer than MAX_RUN characters is cut into tokens of RUN_PIECE characters, with no affix
  splitting. Such runs are never words (the longest in the shared corpora is a 483-character URL)
  and making each of their marks a token would also multiply the work of the trained components.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

# Characters of a whitespace-free run a suffix search looks at; spaCy's longest fixed suffix is
# under 10 characters, so any window over that finds the same suffixes.
SUFFIX_WINDOW = 64
# Whitespace-free runs longer than this are cut into RUN_PIECE-character tokens (see docstring).
MAX_RUN = 1000
RUN_PIECE = 100

_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1}}}\S*")


class _WindowedSearch:
    """A suffix search over the tail of a string, with the same match lengths as a full search."""

    def __init__(self, search: Callable[..., re.Match[str] | None]) -> None:
        self.search = search

    def __call__(self, string: str) -> re.Match[str] | None:
        start = len(string) - SUFFIX_WINDOW
        if start <= 0:
            return self.search(string)
        match = self.search(string, start)
        if match is not None and match.start() == start:
            return self.search(string)  # the suffix may run on to the left: a long run of dots
        return match


class GuardedTokenizer:
    """Tokenizes as spaCy's tokenizer does, in linear time on long whitespace-free runs."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        if tokenizer.suffix_search is not None:
            tokenizer.suffix_search = _WindowedSearch(tokenizer.suffix_search)

    def __call__(self, text: str) -> Doc:
        runs = [m.span() for m in _LONG_RUN.finditer(text)]
        if not runs:
            doc: Doc = self.tokenizer(text)
            return doc
        docs: list[Doc] = []
        pos = 0
        for start, end in runs:
            if start > pos:
                docs.append(self.tokenizer(text[pos:start]))
            trailing = text[end : end + 1] == " "  # the single space a token keeps, as spaCy does
            docs.append(self._pieces(text[start:end], trailing=trailing))
            pos = end + 1 if trailing else end
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def _pieces(self, run: str, *, trailing: bool) -> Doc:
        words = [run[i : i + RUN_PIECE] for i in range(0, len(run), RUN_PIECE)]
        spaces = [False] * (len(words) - 1) + [trailing]
        return Doc(self.vocab, words=words, spaces=spaces)
