"""Instrument reference: symbols, names and aliases, built from records the caller passes in.

Names are compared as *keys*: lower case, accents, punctuation, spaces, possessive "'s", a leading
"the" and legal suffixes ("Inc.", "Corp", "plc", "Holdings", "Class A" ...) removed, so that
"Salesforce, Inc.", "SALESFORCE INC" and "Salesforce" are one key. Each name also yields a short key
with generic trailing words ("Platforms", "Technologies" ...) removed: "Meta Platforms" -> "meta".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

InstrumentKind = Literal["stock", "etf", "index", "other"]

# Legal and share-class words dropped from the end of a name (repeatedly).
LEGAL_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company ltd limited plc llc lp l p "
    "holdings holding hldgs sa s a nv n v ag se bv b v as a s spa s p a ab asa oyj "
    "adr ads new de md".split()
)
_SHARE_TAILS = re.compile(
    r"\b(class [a-c]|series [a-c1-9]|(common|ordinary|capital) (stock|shares?)|"
    r"american depositary shares?.*|depositary shares?.*|units?|warrants?|rights?)\b.*$"
)
# Generic trailing words that the short form of a company's name leaves out ("Meta Platforms" ->
# "Meta"). A short key is only made when it keeps at least MIN_SHORT_CHARS characters.
GENERIC_TAILS = frozenset(
    "platforms technologies technology systems communications interactive international global "
    "sciences brands entertainment networks group companies enterprises industries worldwide "
    "management solutions software services capital".split()
)
MIN_SHORT_CHARS = 4
# Words that never stand alone for a company, whatever its full name ("Global", "First").
GENERIC_WORDS = frozenset(
    "american united general national first global gold water energy financial research "
    "strategy digital health healthcare medical data power pacific atlantic western eastern "
    "southern northern royal extreme technology tech software semiconductor pharma biotech "
    "insurance bank banking utilities materials industrial industrials consumer retail media "
    "communications transportation airlines steel mining oil gas chemicals entertainment "
    "realty estate trust income growth value quality market markets capital equity "
    "federal international world security investors advisors partners".split()
)
# Upper-case words that read like symbols but are not instruments in market prose.
NOT_SYMBOLS = frozenset(
    "A I AI CEO CFO COO CTO CIO ETF ETFS GDP FOMO IPO US USA UK EU EPS PE PT FPC FDA SEC FOMC CPI "
    "PPI PCE ECB BOE BOJ IMF OPEC NYSE NASDAQ AMEX ESG EV EVS YTD YOY QOQ ATH IRA API LLM GPU CPU "
    "IT TV PC AM PM ET EST EDT PST GMT BUZZ NOTE UPDATE RS IBD SA LLC INC CORP PLC LP NV AG SE "
    "OK ON ALL ARE CAN NOW FOR HAS NEW BIG BEST ONE TWO DTE OTC ADR ADS Q1 Q2 Q3 Q4 FY ROI ROE "
    "EBIT EBITDA GAAP CAGR WTI LNG IRS DOJ FTC FCC EPA DOE NASA WHO NATO LSEG".split()
)
# English words that are also companies' names; alone they need the NER's ORG label to count.
COMMON_NAMES = frozenset(
    "target block visa match gap zoom shell progressive principal bill".split()
)
# rapidfuzz ratio (0-100) a candidate name needs to match a lexicon key. Set from the dev corpus:
# 90 lets "Micro-Cap ETF" find "Microcap ETF"; below ~88 unrelated firms sharing a long word match.
FUZZY_CUTOFF = 90.0
# Ranks: 0 our hand-made reference, 1 packaged index constituents, 2 imported lists.
# Lower ranks win shared names; prefix matches ("Royal Caribbean") use ranks <= PREFIX_MAX_RANK.
PREFIX_MAX_RANK = 1

_POSSESSIVE = re.compile(r"['\u2019]s\b")
_APOSTROPHE = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^a-z0-9&]+")
_CODE = re.compile(r"^[A-Z][A-Z0-9.\-^]{0,7}$")


@dataclass(frozen=True, slots=True)
class Instrument:
    """One tradable instrument or index: its Yahoo-style symbol, name and other names."""

    symbol: str
    name: str
    kind: InstrumentKind = "stock"
    aliases: tuple[str, ...] = ()
    rank: int = 0  # where the record came from; lower wins (see PREFIX_MAX_RANK)


def words(name: str) -> list[str]:
    """The normalised words of a name, legal suffixes and share classes removed."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"/[a-z]{1,4}/?", " ", text)  # SEC state tags: "/DE/"
    text = _APOSTROPHE.sub("", _POSSESSIVE.sub("", text))
    text = text.split(" - ")[0]  # "Apple Inc. - Common Stock"
    text = _SHARE_TAILS.sub("", _NON_WORD.sub(" ", text).strip())
    parts = text.split()
    if parts and parts[0] == "the":
        parts = parts[1:]
    while len(parts) > 1 and parts[-1] in LEGAL_SUFFIXES:
        parts.pop()
    return parts


def name_key(name: str) -> str:
    """The comparison key of a name: its normalised words without spaces."""
    return "".join(words(name))


def short_key(name: str, *, one_word: bool = True) -> str | None:
    """The key without generic trailing words, when that differs and stays long enough.

    ``one_word=False`` keeps at least two words: a long list's "Research Solutions" must not
    become "Research".
    """
    parts = words(name)
    keep = 1 if one_word else 2
    while len(parts) > keep and parts[-1] in GENERIC_TAILS:
        parts.pop()
        while len(parts) > keep and parts[-1] in LEGAL_SUFFIXES:
            parts.pop()
    if len(parts) == 1 and parts[0] in GENERIC_TAILS | GENERIC_WORDS:
        return None
    key = "".join(parts)
    return key if len(key) >= MIN_SHORT_CHARS and key != name_key(name) else None


def is_code(alias: str) -> bool:
    """Whether an alias is a symbol-like code ("SPX", "DJIA") rather than a name."""
    return bool(_CODE.match(alias)) and alias.upper() == alias


class Lexicon:
    """Lookup tables over a set of instruments; earlier records and lower ranks win shared names.

    A symbol listed twice keeps its first record for ``get``; each record's names keep their own
    rank, so a long list cannot lend its loose names the trust of our hand-made ones.
    """

    def __init__(self, instruments: Iterable[Instrument]) -> None:
        records = sorted(instruments, key=_by_rank)
        self.by_symbol: dict[str, Instrument] = {}
        for item in records:
            self.by_symbol.setdefault(item.symbol, item)
        self._codes: dict[str, str] = {}
        self._keys: dict[str, Instrument] = {}
        self._short: dict[str, Instrument] = {}
        self._prefix: dict[str, list[Instrument]] = {}
        for item in records:
            self._index(item)
        self._fuzzy_keys = list(self._keys)

    def _index(self, item: Instrument) -> None:
        for alias in item.aliases:
            if is_code(alias):
                self._codes.setdefault(alias, item.symbol)
        for text in (item.name, *item.aliases):
            if item.kind == "index" and is_code(text) and text != item.name:
                continue  # "COMP", "MID": codes of an index, never read as its name
            key = name_key(text)
            if len(key) < 2:
                continue
            self._keys.setdefault(key, item)
            short = short_key(text, one_word=item.rank <= PREFIX_MAX_RANK)
            if short:
                self._short.setdefault(short, item)
            if item.rank <= PREFIX_MAX_RANK and item.kind == "stock":
                self._add_prefixes(words(text), item)

    def _add_prefixes(self, parts: list[str], item: Instrument) -> None:
        for n in range(2, len(parts)):
            holders = self._prefix.setdefault("".join(parts[:n]), [])
            if all(h.symbol != item.symbol for h in holders):
                holders.append(item)

    def __len__(self) -> int:
        return len(self.by_symbol)

    def __contains__(self, symbol: object) -> bool:
        return symbol in self.by_symbol

    def get(self, symbol: str) -> Instrument | None:
        """The instrument with this symbol, if known."""
        return self.by_symbol.get(symbol)

    def by_code(self, code: str) -> Instrument | None:
        """The instrument a symbol or a market-data code ("SPX", "DJIA", "BRK.B") names."""
        symbol = self._codes.get(code) or code.replace(".", "-")
        return self.by_symbol.get(symbol)

    def is_alias_code(self, code: str) -> bool:
        """Whether ``code`` is an alias code ("SPX") rather than an instrument's own symbol."""
        return code in self._codes

    def by_name(self, name: str, *, short: bool = True) -> Instrument | None:
        """The record whose name or alias has the same key (or short key) as ``name``."""
        key = name_key(name)
        return self._keys.get(key) or (self._short.get(key) if short else None)

    def by_prefix(self, name: str) -> Instrument | None:
        """The one reference stock whose name starts with ``name`` (two words or more)."""
        holders = self._prefix.get(name_key(name), [])
        return holders[0] if len(holders) == 1 else None

    def fuzzy(self, name: str, *, cutoff: float = FUZZY_CUTOFF) -> Instrument | None:
        """The record whose name key is closest to ``name``'s, if at least ``cutoff``."""
        key = name_key(name)
        if len(key) < 6:
            return None
        found = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        return self._keys[found[0]] if found else None


def _by_rank(item: Instrument) -> int:
    return item.rank
