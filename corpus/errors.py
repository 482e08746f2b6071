"""Errors of the corpus package.

CorpusError
 └── BadArticle        an input that cannot become an article (empty, binary, too large, unparsable)
"""

from __future__ import annotations


class CorpusError(Exception):
    """Base class of every error this package raises on purpose."""

    code = "corpus_error"


class BadArticle(CorpusError):
    """The input cannot be read as an article; the message says why."""

    code = "bad_article"
