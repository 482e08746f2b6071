"""The newsclaims_tickers component: every mention of an instrument the article discusses.

Writes ``doc.spans[TICKERS]``, one span per mention, ``span.label_`` the symbol and
``span._.instrument_name`` its display name. Four passes over the Doc:
  1. explicit symbols: "Nvidia (NVDA)", "(NYSE: GS)", "$TSLA"; the name before a symbol is learned
     for the rest of the article;
  2. names: the longest run of capitalised words that is a learned name, a lexicon name or alias
     ("S&P 500", "Cleveland-Cliffs Inc."), the unique start of a reference name ("Royal Caribbean"),
     or, for an ORG entity, a close fuzzy match;
  3. bare symbols: "IWC's portfolio", "SNOW stock", "the SPDR S&P Metals and Mining ETF XME";
  4. roles: a symbol whose every mention is an opinion's source ("analysts at Goldman Sachs",
     "BofA said") is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from extractor.extensions import TICKERS, ents_of, text_of
from extractor.lexicon import (
    COMMON_NAMES,
    GENERIC_WORDS,
    NOT_SYMBOLS,
    PREFIX_MAX_RANK,
    Instrument,
    Lexicon,
    is_code,
)

FACTORY = "newsclaims_tickers"

_SYMBOL = r"[A-Z]{1,5}(?:[.\-][A-Z])?"
# "(NYSE: GS)", "NASDAQ:AAPL"; OTC quotes are not a US listing (corpus/README.md).
_EXCHANGE = re.compile(
    rf"\b(?:NYSE(?: American| Arca|ARCA)?|NASDAQ|Nasdaq|AMEX|Cboe|CBOE|BATS)\s*:\s*({_SYMBOL})\b"
)
_PAREN = re.compile(r"\(\s*([.^]?[A-Z][A-Z0-9]{0,6}(?:[.\-][A-Z])?)\s*\)")
_CASHTAG = re.compile(rf"(?<![\w$])\$({_SYMBOL})\b")
_BARE = re.compile(rf"^{_SYMBOL}$")
# Pink-sheet ADR symbols: five letters ending in F or Y.
_OTC = re.compile(r"^[A-Z]{4}[FY]$")
# Words between a name and its symbol: "Steel Dynamics Inc.'s stock (STLD)".
_BRIDGE = frozenset("shares share stock stocks 's ’s ' , the class a b c common ordinary".split())
_DOTTED = re.compile(r"^[a-z](?:\.[a-z])+\.?$")  # "e.l.f."
_LEADS = frozenset("the a an shares share stock of".split())  # "The S&P 500 (SPX)"
_CONNECTORS = frozenset("& of and de du la del -".split())
_FUND_WORDS = frozenset("etf fund trust inc inc. corp corp. co co. ltd plc".split())
MAX_NAME_TOKENS = 8
# Entity labels under which a capitalised word is not a company ("Powell", "Brazil").
_NOT_ORG = frozenset(("PERSON", "GPE", "LOC", "NORP", "DATE", "TIME", "FAC", "EVENT", "LAW"))


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention: token offsets, the instrument, and whether a symbol was written out."""

    start: int
    end: int
    item: Instrument
    explicit: bool


class TickerFinder:
    """Writes the TICKERS span group."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key
        self.lexicon: Lexicon | None = None  # set by pipeline.build_nlp

    def __call__(self, doc: Doc) -> Doc:
        mentions = find_mentions(doc, self.lexicon) if self.lexicon is not None else []
        spans = []
        for m in mentions:
            span = Span(doc, m.start, m.end, label=m.item.symbol)
            span._.instrument_name = m.item.name
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


def find_mentions(doc: Doc, lexicon: Lexicon) -> list[Mention]:
    """Every instrument mention in ``doc``, opinion-only sources dropped, in text order."""
    explicit, taken = explicit_mentions(doc, lexicon)
    taken |= {i for m in explicit for i in range(m.start, m.end)}
    learned = Lexicon(m.item for m in explicit)
    names = list(name_mentions(doc, lexicon, learned, taken))
    taken |= {i for m in names for i in range(m.start, m.end)}
    known = {m.item.symbol: m.item for m in explicit + names}
    bare = list(bare_mentions(doc, lexicon, known, names, taken))
    names = relabel_by_symbol(names, bare)
    mentions = sorted(explicit + names + bare, key=lambda m: m.start)
    sourced = {m.item.symbol for m in mentions if m.explicit or not is_opinion_source(doc, m)}
    return [m for m in mentions if m.item.symbol in sourced]


def relabel_by_symbol(names: list[Mention], bare: list[Mention]) -> list[Mention]:
    """A name followed by a symbol ("Blue Owl Capital Inc. OWL") takes the written symbol."""
    after = {m.start: m.item for m in bare}
    return [Mention(m.start, m.end, after.get(m.end, m.item), m.explicit) for m in names]


def explicit_mentions(doc: Doc, lexicon: Lexicon) -> tuple[list[Mention], set[int]]:
    """Symbols written out ("(NYSE: GS)", "(NVDA)" after a name, "$TSLA"), and the tokens of
    names that a rejected abbreviation follows ("Artificial Intelligence (AI)"), which are no
    instrument either."""
    hits = [(m, "exchange") for m in _EXCHANGE.finditer(text_of(doc))]
    hits += [(m, "paren") for m in _PAREN.finditer(text_of(doc))]
    hits += [(m, "cashtag") for m in _CASHTAG.finditer(text_of(doc))]
    found: list[Mention] = []
    used: set[int] = set()
    blocked: set[int] = set()
    for match, form in sorted(hits, key=lambda h: h[0].start()):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or used & set(range(span.start, span.end)):
            continue
        name = name_before(doc, span.start)
        code = match.group(1)
        acronym = is_acronym(code, doc, span.start)
        item = resolve_symbol(lexicon, code, name, form, acronym)
        start = name.start if name is not None else span.start
        if item is None:
            blocked |= set(range(start, span.end)) if acronym else set()
            continue
        used |= set(range(start, span.end))
        found.append(Mention(start, span.end, item, explicit=True))
    return found, blocked


def resolve_symbol(
    lexicon: Lexicon, code: str, name: Span | None, form: str, acronym: bool
) -> Instrument | None:
    """The instrument a written symbol stands for, or None when it is an abbreviation."""
    named = lexicon.by_name(name.text) if name is not None else None
    if named is not None and code in (named.symbol, *named.aliases):
        return named  # "Nasdaq Composite (COMP)", "Nvidia (NVDA)"
    if named is not None and named.kind == "etf" and named.rank == 0:
        return named  # a fund's full name outweighs a mistyped symbol
    if code.upper() in NOT_SYMBOLS or acronym:
        return None  # "Fear of Missing Out (FOMO)", "free cash flow (FCF)", "(AI)"
    item = lexicon.by_code(code)
    if item is not None:
        display = item.name if name is None or item.kind == "index" else name.text
        return Instrument(item.symbol, display, item.kind, (*item.aliases, display), 0)
    if form == "paren" and (name is None or _OTC.match(code) or not _BARE.match(code)):
        return None  # an unknown symbol needs a name before it, and OTC symbols are not listings
    return Instrument(code.replace(".", "-"), name.text if name is not None else code, "stock")


def is_acronym(code: str, doc: Doc, end: int, *, window: int = 6) -> bool:
    """Whether ``code`` spells the initials of the words before token ``end``: "free cash flow
    (FCF)", "Personal Consumption Expenditures (PCE)"."""
    letters = code.strip(".^").upper()
    words = [t for t in doc[max(0, end - window) : end] if t.text[:1].isalpha()]
    initials = "".join(t.text[0] for t in words).upper()
    return len(letters) >= 2 and initials.endswith(letters)


def name_before(doc: Doc, end: int) -> Span | None:
    """The run of capitalised words before token ``end`` ("Steel Dynamics Inc.'s stock")."""
    i = end
    while i > 0 and doc[i - 1].lower_ in _BRIDGE and end - i < 3:
        i -= 1
    stop = i
    while i > 0 and stop - i < MAX_NAME_TOKENS and is_name_token(doc[i - 1], inner=True):
        i -= 1
    while i < stop and (
        not is_name_token(doc[i], inner=False) or doc[i].text.isdigit() or doc[i].lower_ in _LEADS
    ):
        i += 1  # a name starts with a capitalised word, not "&" or "of"
    return doc[i:stop] if i < stop else None


def is_name_token(token: Token, *, inner: bool) -> bool:
    """Whether a token can be part of a company or fund name ("iShares", "e.l.f.", "500")."""
    text = token.text
    if "\n" in token.whitespace_ or token.is_space or text in ("(", ")") or text == "BUZZ":
        return False
    if text[:1].isupper() or _DOTTED.match(text) or (text[:1].islower() and text[1:2].isupper()):
        return True
    if inner and text.isdigit():
        return True
    return inner and token.lower_ in _CONNECTORS


def ends_name(token: Token) -> bool:
    """Whether a name may end on this token (a word or a number, not "&" or "of")."""
    return is_name_token(token, inner=True) and token.lower_ not in _CONNECTORS


def name_mentions(
    doc: Doc, lexicon: Lexicon, learned: Lexicon, taken: set[int]
) -> Iterator[Mention]:
    """Company, fund and index names, longest match first, left to right."""
    i = 0
    while i < len(doc):
        found = None if i in taken else match_name(doc, i, lexicon, learned, taken)
        if found is None:
            i += 1
            continue
        yield found
        i = found.end


def match_name(
    doc: Doc, i: int, lexicon: Lexicon, learned: Lexicon, taken: set[int]
) -> Mention | None:
    """The longest name starting at token ``i``, if any."""
    if not is_name_token(doc[i], inner=False) or doc[i].text.isdigit():
        return None
    end = i
    while end < len(doc) and end - i < MAX_NAME_TOKENS and end not in taken:
        if not is_name_token(doc[end], inner=end > i) or (end > i and doc[end].is_sent_start):
            break
        end += 1
    for stop in range(end, i, -1):
        if not ends_name(doc[stop - 1]):
            continue
        span = doc[i:stop]
        item = learned.by_name(span.text) or learned.by_prefix(span.text)
        if item is not None:
            return Mention(i, stop, item, explicit=False)
        exact = lexicon.by_name(span.text, short=False)
        item = exact or lexicon.by_name(span.text) or lexicon.by_prefix(span.text)
        if item is not None and plausible_name(span, item, exact=exact is not None):
            return Mention(i, stop, item, explicit=False)
    org = next(
        (e for e in ents_of(doc) if e.start == i and e.label_ == "ORG" and e.end <= end), None
    )
    if org is not None and len(org) > 1:
        item = lexicon.fuzzy(org.text)
        if item is not None and plausible_name(org, item, exact=False):
            return Mention(org.start, org.end, item, explicit=False)
    return None


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
    proper = word.pos_ == "PROPN" or word.ent_type_ or _DOTTED.match(word.text)
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


def bare_mentions(
    doc: Doc, lexicon: Lexicon, known: dict[str, Instrument], names: list[Mention], taken: set[int]
) -> Iterator[Mention]:
    """Symbols written without marks: learned ones, "TSLA stock", our ETFs and index codes, and
    a code right after its instrument's name ("the Nasdaq Composite COMP")."""
    named = {(m.end, code): m.item for m in names for code in m.item.aliases if is_code(code)}
    for token in doc:
        text = token.text
        if token.i in taken or not _BARE.match(text) or text in NOT_SYMBOLS or len(text) < 2:
            continue
        item = known.get(text) or bare_symbol(token, lexicon) or named.get((token.i, text))
        if item is not None:
            yield Mention(token.i, token.i + 1, item, explicit=False)


def bare_symbol(token: Token, lexicon: Lexicon) -> Instrument | None:
    """An unmarked upper-case word that is a symbol by its context or by our own lists."""
    item = lexicon.by_code(token.text)
    if item is None:
        return None
    if lexicon.is_alias_code(token.text):  # "SPX", "DJIA", unless also a reference symbol
        other = lexicon.get(token.text)
        return None if other is not None and other.rank <= PREFIX_MAX_RANK else item
    nxt = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
    if nxt in ("stock", "shares") and len(token.text) >= 2:
        return item
    prev = token.nbor(-1) if token.i > 0 else None
    if prev is not None and prev.lower_ in _FUND_WORDS:
        return item  # "the SPDR S&P Metals and Mining ETF XME", "Salesforce, Inc. CRM"
    return item if item.rank == 0 and item.kind == "etf" and len(token.text) >= 3 else None


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


def is_opinion_source(doc: Doc, mention: Mention) -> bool:
    """Whether a mention names the source of an opinion or of data, not a subject of the article."""
    start, end = doc[mention.start].idx, doc[mention.end - 1].idx + len(doc[mention.end - 1])
    before = text_of(doc)[max(0, start - 80) : start].rsplit("\n", 1)[-1]
    after = text_of(doc)[end : end + 100].split("\n", 1)[0]
    return bool(
        _ROLE_BEFORE.search(before) or _ROLE_AFTER.match(after) or _RATING_AFTER.match(after)
    )


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": TICKERS})
def make_tickers(nlp: Language, name: str, spans_key: str) -> TickerFinder:
    return TickerFinder(nlp.vocab, spans_key=spans_key)
