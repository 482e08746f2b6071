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
This module holds the factory, the passes and the symbol and name-token patterns. What a mention
is doing in its sentence (the guards on pass 2's names, pass 4's opinion sources) lives in
``extractor.components.ticker_roles``, which this module imports and which imports nothing back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from operator import attrgetter

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.training import Example
from spacy.vocab import Vocab

from extractor.components.ticker_roles import (
    DOTTED,
    abbreviates,
    is_opinion_source,
    is_platform,
    is_venue,
    names_instrument,
    plausible_name,
)
from extractor.extensions import TICKERS, ents_of, text_of
from extractor.lexicon import (
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
_LEADS = frozenset("the a an shares share stock of".split())  # "The S&P 500 (SPX)"
_CONNECTORS = frozenset("& of and de du la del -".split())
_FUND_WORDS = frozenset("etf fund trust inc inc. corp corp. co co. ltd plc".split())
MAX_NAME_TOKENS = 8


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention: token offsets, the instrument, and whether a symbol was written out."""

    start: int
    end: int
    item: Instrument
    explicit: bool


# Ticker mentions kept per document, the first ones: claims compare each figure with the mentions
# near it, so this bounds hostile text (the dev and wild articles have under 100).
MAX_MENTIONS = 2000


class TickerFinder:
    """Writes the TICKERS span group."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key
        self.lexicon: Lexicon | None = None  # given by initialize()

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language, lexicon: Lexicon
    ) -> None:
        """spaCy's hook for a component's data: the instrument reference to match against."""
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        mentions = find_mentions(doc, self.lexicon) if self.lexicon is not None else []
        spans = []
        for m in mentions[:MAX_MENTIONS]:
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
    mentions = sorted(explicit + names + bare, key=attrgetter("start"))
    sourced = {m.item.symbol for m in mentions if is_subject(doc[m.start : m.end], m)}
    return [m for m in mentions if m.item.symbol in sourced and not is_date(doc, m)]


def is_subject(span: Span, mention: Mention) -> bool:
    """Whether a mention can make its instrument a subject of the article: not an exchange named as
    a venue or a service as where to listen, and (unless its symbol is written out) not the
    source of an opinion or of data."""
    if is_venue(span, mention.item.name) or is_platform(span):
        return False
    return mention.explicit or not is_opinion_source(span)


# Month abbreviations that are also symbols (NOV, MAR, DEC ...): "Nov. 5" is a date, not NOV Inc.
MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())


def is_date(doc: Doc, mention: Mention) -> bool:
    """Whether the mention is a month abbreviation followed by a day ("Nov. 5", "Mar 3")."""
    if mention.end - mention.start != 1 or mention.end >= len(doc):
        return False
    word = doc[mention.start].lower_.rstrip(".")
    after = doc[mention.end]
    if after.text == "." and mention.end + 1 < len(doc):
        after = doc[mention.end + 1]
    return word in MONTHS and after.like_num and after.text.isdigit() and int(after.text) <= 31


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
    for match, form in sorted(hits, key=_hit_start):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or used & set(range(span.start, span.end)):
            continue
        name = name_before(doc, span.start)
        code = match.group(1)
        known = lexicon.by_code(code)
        spelled = is_acronym(code, doc, span.start) or (
            form == "paren" and abbreviates(code, doc, span.start, known)
        )
        acronym = spelled and not names_instrument(doc, span.start, known)
        item = resolve_symbol(lexicon, code, name, form, acronym, known)
        start = name.start if name is not None else span.start
        if item is None:
            blocked |= set(range(start, span.end)) if acronym else set()
            continue
        used |= set(range(start, span.end))
        found.append(Mention(start, span.end, item, explicit=True))
    return found, blocked


def _hit_start(hit: tuple[re.Match[str], str]) -> int:
    return hit[0].start()


def resolve_symbol(
    lexicon: Lexicon,
    code: str,
    name: Span | None,
    form: str,
    acronym: bool,
    item: Instrument | None,
) -> Instrument | None:
    """The instrument a written symbol stands for (``item``: the lexicon's for ``code``), or None
    when it is an abbreviation."""
    named = lexicon.by_name(name.text) if name is not None else None
    if named is not None and code in (named.symbol, *named.aliases):
        return named  # "Nasdaq Composite (COMP)", "Nvidia (NVDA)"
    if named is not None and named.kind == "etf" and named.rank == 0:
        return named  # a fund's full name outweighs a mistyped symbol
    if code.upper() in NOT_SYMBOLS or acronym:
        return None  # "Fear of Missing Out (FOMO)", "free cash flow (FCF)", "(AI)"
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
    if text[:1].isupper() or DOTTED.match(text) or (text[:1].islower() and text[1:2].isupper()):
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


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": TICKERS})
def make_tickers(nlp: Language, name: str, spans_key: str) -> TickerFinder:
    return TickerFinder(nlp.vocab, spans_key=spans_key)
