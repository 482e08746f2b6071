"""Roles of names for the newsclaims_tickers component: which mentions are instruments.

``extractor.components.tickers`` finds candidate mentions; the rules here decide what a candidate
is doing in the sentence. ``plausible_name`` is the precision guard for a name found without a
symbol next to it: a person's name ("Chair Powell"), a place ("United States"), a common word
also written in lower case ("Target" and "a price target") or the first word of a longer name is
no instrument. ``is_opinion_source`` tells the source of an opinion or of data ("analysts at
Goldman Sachs", "BofA said", "J.P. Morgan raises its target") from a subject of the article.
This module reads only the Doc and the lexicon's word lists; ``tickers`` imports it, never the
reverse.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from extractor.extensions import ents_of, text_of
from extractor.lexicon import COMMON_NAMES, GENERIC_WORDS, PREFIX_MAX_RANK, Instrument

DOTTED = re.compile(r"^[a-z](?:\.[a-z])+\.?$")  # "e.l.f.": a lower-case name that is proper


def plausible_name(span: Span, item: Instrument, *, exact: bool) -> bool:
    """Precision guards for a name found without a symbol next to it."""
    if item.kind == "index":
        return True
    if is_person(span):
        return False
    org = any(t.ent_type_ == "ORG" for t in span)
    if item.rank > PREFIX_MAX_RANK and not exact and not org:
        return False  # a long list's shortened names need the NER's ORG label
    if any(t.ent_type_ in ("GPE", "LOC") for t in span) and not exact:
        return False  # "United States" is not "United States Steel"
    if len(span) > 1:
        return True
    word = span[0]
    proper = word.pos_ == "PROPN" or word.ent_type_ or DOTTED.match(word.text)
    if not proper or (word.text.isupper() and len(word) <= 2):
        return False
    nxt = word.nbor(1) if word.i + 1 < len(word.doc) else None
    if nxt is not None and nxt.is_title and (nxt.ent_iob_ == "I" or nxt.pos_ == "PROPN"):
        return False  # the first word of a longer name: "Nvidia Connect", "Extreme Fear"
    common = word.lower_ in GENERIC_WORDS or word.lower_ in COMMON_NAMES or lower_elsewhere(word)
    return not common or (word.ent_type_ == "ORG" and word.ent_iob_ == "B")


def is_person(span: Span) -> bool:
    """Whether a name is (part of) a person's: "Jerome Powell", "Chair Powell", a known surname."""
    first, last = span[0], span[-1]
    if first.i > 0 and first.nbor(-1).text.rstrip(".") in _TITLES:
        return True
    people = [e for e in ents_of(span.doc) if e.label_ == "PERSON" and len(e) > 1]
    if any(e.start < span.end and span.start < e.end and len(e) > len(span) for e in people):
        return True
    return len(span) == 1 and any(e[-1].text == last.text for e in people)


def lower_elsewhere(word: Token) -> bool:
    """Whether the article also uses this word in lower case ("Target" and "a price target")."""
    if word.lower_ == word.text:
        return False
    words = word.doc.user_data.get(_WORDS_KEY)
    if words is None:
        words = word.doc.user_data[_WORDS_KEY] = frozenset(t.text for t in word.doc)
    return word.lower_ in words


_WORDS_KEY = "newsclaims_words"  # the set of token texts, built once per Doc
_TITLES = frozenset(
    "Mr Mrs Ms Dr President Chair Chairman Chairwoman Secretary Gov Sen Rep".split()
)


# An opinion's source: "analysts at Goldman Sachs", "chief strategist at CFRA", "according to".
_ROLE_BEFORE = re.compile(
    r"(?:\b(?:analysts?|strategists?|economists?|researchers?|managers?|officer|head|director|"
    r"partner|advis[eo]rs?|team|desk)\b[^.;:\n]{0,40}?\b(?:at|from|with)|according to|"
    r"polled by|compiled by|cited by|surveyed by|\bper|interview with|"
    r"(?:suggested|noted|said|stated|forecast|predicted|estimated|expected|reported|warned) by)"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_SPEECH = (
    r"said|says|saying|noted|notes|wrote|writes|expects?|forecasts?|forecasting|predicts?|"
    r"predicted|estimates?|estimated|warned|warns|cautioned|cautioning|recommends?|recommended|"
    r"upgraded|upgrades|downgraded|downgrades|reiterated|reiterates|initiated|initiates|sees|"
    r"believes|thinks|argued|argues|suggested|suggests|told|tells|projects?|projected|"
    r"analysts?|strategists?|economists?|research|researchers|consensus|shows|showed|data|"
    r"surveys?|polls?|figures"
)
# "BofA said", "Mizuho analysts", "Bank of America investment strategists", "Goldman Sachs Asset
# Management suggested", "BofA has been cautioning".
_ROLE_AFTER = re.compile(
    rf"^(?:'s|’s)?(?:\s+[A-Z][\w.&-]*){{0,3}}(?:\s+(?:investment|equity|global|chief|market|"
    rf"also|has|had|have|now|been|recently|last week))*\s+(?:{_SPEECH})\b"
)
# "J.P. Morgan raises HubSpot PT", "Goldman Sachs has raised its S&P 500 targets".
_RATING_AFTER = re.compile(
    r"^(?:\s+(?:has|have|also))*\s+(?:raise[sd]?|cut|cuts|lift(?:s|ed)?|lower(?:s|ed)?|starts?|"
    r"started|boost(?:s|ed)?|trim(?:s|med)?|set|sets)\b[^.\n]{0,60}?"
    r"\b(?:PT|price target|target|rating|price objective)",
    re.IGNORECASE,
)


def is_opinion_source(span: Span) -> bool:
    """Whether a mention names the source of an opinion or of data, not a subject of the article."""
    doc = span.doc
    start, end = span[0].idx, span[-1].idx + len(span[-1])
    before = text_of(doc)[max(0, start - 80) : start].rsplit("\n", 1)[-1]
    after = text_of(doc)[end : end + 100].split("\n", 1)[0]
    return bool(
        _ROLE_BEFORE.search(before) or _ROLE_AFTER.match(after) or _RATING_AFTER.match(after)
    )
