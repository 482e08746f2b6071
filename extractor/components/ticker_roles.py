"""Roles of names for the newsclaims_tickers component: which mentions are instruments.

``extractor.components.tickers`` finds candidate mentions; the rules here decide what a candidate
is doing in the sentence. ``plausible_name`` is the precision guard for a name found without a
symbol next to it: a person's name ("Chair Powell"), a place ("United States"), a common word
also written in lower case ("Target" and "a price target") or the first word of a longer name is
no instrument. ``is_opinion_source`` tells the source of an opinion or of data ("analysts at
Goldman Sachs", "BofA said", "J.P. Morgan raises its target") from a subject of the article;
``is_platform`` a service named as where to listen or follow ("on Apple Podcasts and Spotify");
``abbreviates`` a parenthesised code that shortens the name before it ("Centers for Disease
Control and Prevention (CDC)") from an instrument's symbol.
This module reads only the Doc and the lexicon's word lists; ``tickers`` imports it, never the
reverse.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from extractor.extensions import ents_of, text_of
from extractor.lexicon import COMMON_NAMES, GENERIC_WORDS, PREFIX_MAX_RANK, Instrument

DOTTED = re.compile(r"^[a-z](?:\.[a-z])+\.?$")  # "e.l.f.": a lower-case name that is proper


def plausible_name(span: Span, item: Instrument, *, exact: bool) -> bool:
    """Precision guards for a name found without a symbol next to it."""
    if item.kind == "index":
        return True
    if is_person(span):
        return False
    if shouted(span, item) and (not exact or item.rank > PREFIX_MAX_RANK):
        return False  # a long list's name in a line of capitals ("CLICK HERE")
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


def shouted(span: Span, item: Instrument) -> bool:
    """Whether a name is only a word of a line in capitals ("ASSESSING THE MARKET IMPACT - CLICK
    HERE", "BANKS: NEXT STOP"): capitals there say nothing of a proper name."""
    if not span.text.isupper() or span.text in (item.symbol, *item.aliases):
        return False
    doc = span.doc
    near = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    words = [t for t in near if t.is_alpha and "\n" not in t.whitespace_ + t.text]
    return bool(words) and all(t.text.isupper() and len(t) > 1 for t in words)


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
    r"partner|advis[eo]rs?|team|desk|bulls?|bears?)\b[^.;:\n]{0,40}?\b(?:at|from|with)|"
    r"according to|polled by|compiled by|cited by|surveyed by|\bper|interview with|"
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
    r"surveys?|polls?|figures|conclusions?|views?|take"
)
# "BofA said", "Mizuho analysts", "Bank of America investment strategists", "Goldman Sachs Asset
# Management suggested", "BofA has been cautioning", "Morgan Stanley chief U.S. economist Michael
# Gapen said" (titles and names in any order, at most four words before the verb).
_ROLE_AFTER = re.compile(
    rf"^(?:'s|’s)?(?:\s+(?:[A-Z][\w.&-]*|investment|equity|global|chief|senior|market|initial|"
    rf"latest|also|has|"
    rf"had|have|now|been|recently|last week)){{0,4}}\s+(?:{_SPEECH})\b"
)
# "J.P. Morgan raises HubSpot PT", "Goldman Sachs has raised its S&P 500 targets".
_RATING_AFTER = re.compile(
    r"^(?:\s+(?:has|have|also))*\s+(?:raise[sd]?|cut|cuts|lift(?:s|ed)?|lower(?:s|ed)?|starts?|"
    r"started|boost(?:s|ed)?|trim(?:s|med)?|set|sets)\b[^.\n]{0,60}?"
    r"\b(?:PT|price target|target|rating|price objective)",
    re.IGNORECASE,
)
# A rating held: "Citi has a neutral rating and A$3.20 target price", "Citi has a neutral call on
# Orora", "Jefferies maintains a buy rating".
_HOLDS_RATING = re.compile(
    r"^(?:\s+(?:also|still))?\s+(?:has|had|maintains|maintained|retains|retained|keeps|kept|"
    r"reiterates|reiterated)\s+(?:an?|its)\s+(?:[\w-]+\s+){0,2}?(?:(?:buy|sell|hold|neutral|"
    r"overweight|underweight|equal-weight|outperform|underperform|positive|negative)\s+"
    r"(?:call|rating)|rating|price target|target price)\b",
    re.IGNORECASE,
)
# An analyst's firm after the analyst's name on an earnings call: "Rachel Vatnsdal, JPMorgan,
# inquired about", "Tejas Savant, Morgan Stanley, asked".
_NAMED_BEFORE = re.compile(r"\b[A-Z][\w'’-]+ [A-Z][\w'’-]+,\s*$")
_ASKED_AFTER = re.compile(r"^,\s+(?:asked|inquired|questioned|queried|wondered|pressed)\b")


def is_opinion_source(span: Span) -> bool:
    """Whether a mention names the source of an opinion or of data, not a subject of the article."""
    doc = span.doc
    start, end = span[0].idx, span[-1].idx + len(span[-1])
    before = text_of(doc)[max(0, start - 80) : start].rsplit("\n", 1)[-1]
    after = text_of(doc)[end : end + 100].split("\n", 1)[0]
    asker = _NAMED_BEFORE.search(before) and _ASKED_AFTER.match(after)
    return bool(
        _ROLE_BEFORE.search(before)
        or _ROLE_AFTER.match(after)
        or _RATING_AFTER.match(after)
        or _HOLDS_RATING.match(after)
        or asker
    )


# An exchange named as the place of trading: "on the Moscow Stock Exchange (MOEX)", "trade on
# MOEX", "The Osaka Exchange (OSE) rubber contract", "on the Shanghai Futures Exchange (SHFE)".
_VENUE_BEFORE = re.compile(r"\b(?:on|at|to|from|onto)\s+(?:the\s+)?$", re.IGNORECASE)
_VENUE_AFTER = re.compile(r"^\s*(?:\([^)\n]{1,12}\))?\s*(?:[a-z]+\s+){0,2}(?:contracts?|futures)\b")
_EXCHANGE_NAME = re.compile(r"\bExchange$", re.IGNORECASE)


def is_venue(span: Span, name: str | None) -> bool:
    """Whether a mention names an exchange as the place where something trades, not its stock."""
    written = span.text.split("(")[0].strip()
    if not (_EXCHANGE_NAME.search(written) or _EXCHANGE_NAME.search(name or "")):
        return False
    doc = span.doc
    before = text_of(doc)[max(0, span.start_char - 20) : span.start_char]
    after = text_of(doc)[span.end_char : span.end_char + 40]
    return bool(_VENUE_BEFORE.search(before) or _VENUE_AFTER.match(after))


# A service named as where to listen, watch or follow, in a call to action: "Listen on Apple
# Podcasts and Spotify", "Follow us for updates on LinkedIn, on X, or on Facebook", "follow
# Quentin Fottrell on X". Only capitalised names, "and", "or", "on" and commas between "on" and
# the mention.
_CALL_TO_ACTION = re.compile(
    r"\b(?i:listen|follow|subscribe|watch|download|stream)\w*\b[^.\n]{0,60}?\bon\s+"
    r"(?:(?:[A-Z][\w.]*|and|or|on),?\s+)*$"
)


def is_platform(span: Span) -> bool:
    """Whether a mention names a service as the place to listen or follow, not its stock."""
    before = text_of(span.doc)[max(0, span.start_char - 120) : span.start_char]
    return bool(_CALL_TO_ACTION.search(before))


# Lower-case words inside a spelled-out name: "Centers for Disease Control", "Bangko Sentral ng
# Pilipinas", "Bureau of Labor Statistics".
_NAME_FILLERS = frozenset("for of and the ng de du la del on in & -".split())


def abbreviates(code: str, doc: Doc, end: int, item: Instrument | None) -> bool:
    """Whether a parenthesised ``code`` after token ``end`` shortens the name written before it:
    its letters are that name's capitals, in order, from the first ("Centers for Disease Control
    and Prevention (CDC)", "Bangko Sentral ng Pilipinas (BSP)"). A code the lexicon does not know
    (``item`` None) counts only when the name has a lower-case filler ("of", "for", "ng"): an
    agency's or a central bank's, rarely a listed company's."""
    words = spelled_name(doc, end)
    capitals = [t.text[0] for t in words if t.text[:1].isupper()]
    letters = code.strip(".^").upper()
    if len(letters) < 2 or not capitals or capitals[0] != letters[0]:
        return False
    remaining = iter(capitals)
    if not all(letter in remaining for letter in letters):  # a subsequence of the capitals
        return False
    return item is not None or any(t.lower_ in _NAME_FILLERS for t in words)


def names_instrument(doc: Doc, end: int, item: Instrument | None) -> bool:
    """Whether the name written before token ``end`` shares a word with ``item``'s name: then a
    code spelling its initials is the instrument's symbol ("Constellation Energy Group (CEG)")."""
    if item is None:
        return False
    written = {t.lower_ for t in spelled_name(doc, end) if t.text[:1].isupper()}
    return bool(written & {w.lower().strip(".,") for w in item.name.split()})


def spelled_name(doc: Doc, end: int, *, window: int = 8) -> list[Token]:
    """The capitalised words (and fillers) right before token ``end``, from the first capitalised
    word that is not a filler ("The Bureau of Labor Statistics" -> "Bureau of Labor Statistics")."""
    i = end
    while (
        i > max(0, end - window)
        and "\n" not in doc[i - 1].whitespace_
        and (doc[i - 1].text[:1].isupper() or doc[i - 1].lower_ in _NAME_FILLERS)
    ):
        i -= 1
    while i < end and (not doc[i].text[:1].isupper() or doc[i].lower_ in _NAME_FILLERS):
        i += 1
    return list(doc[i:end])
