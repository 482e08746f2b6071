"""Which instrument mentions and lines can carry a price claim at all.

Three classes of text where a number stands next to an instrument's name but is not about its
price, each seen across many wire stories (bench/wild.py counts the flags they caused):

- **A name used as a modifier.** "S&P 500 futures", "Nasdaq 100 Futures", "Eight of the 11 S&P 500
  sectors", "the median S&P 500 company", "MSCI's gauge of stocks", "MSCI Latam": the number is the
  futures contract's, the sector's, the company's earnings or an index family's, not the named
  instrument's.
- **A foreign listing.** "Shares trade up 0.2% to 466 pence", "The London-traded stock was down
  1.3%", "In Hong Kong ... Alibaba up 5.5%", "Orora's stock falling 3.9% to A$2.25": the move is on
  another exchange, in another currency, and US daily bars cannot speak for it.
- **A headline.** "Dow, S&P 500 Fall After Inflation Hits 3%": a title line in the text restates
  or rounds, and its numbers are often other quantities.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from extractor.extensions import text_of

# Nouns after a name that make it a modifier of something else ("S&P 500 futures").
MODIFIED = frozenset(
    "future futures e-mini e-minis sector sectors company companies constituents components "
    "members earnings eps options contracts".split()
)
# Nouns (or region names) after a company's name that make it an index family ("MSCI's gauge",
# "MSCI Latam"); after an index's own name ("S&P 500 index") they are the index itself.
INDEX_WORDS = frozenset(
    "index indexes indices gauge gauges benchmark broadest latam world acwi emerging asia "
    "europe em all-country".split()
)
POSSESSIVE = frozenset({"'s", "’s"})
# Words a foreign-listing sentence holds; checked as whole words, case-insensitive.
FOREIGN_WORDS = re.compile(
    r"\b(?:pence|london-traded|london-listed|hong kong|hong kong-listed|asian trade|asia trade|"
    r"tokyo-listed|in tokyo|in london|in frankfurt|in paris|in seoul|in sydney|in mumbai|"
    r"toronto-listed)\b|(?:A\$|HK\$|C\$|NZ\$|S\$)\s?\d|\d\s?(?:pounds|euros|yen|yuan|won|rupees)\b",
    re.IGNORECASE,
)
FOREIGN_UNITS = frozenset({"gbp", "gbx", "eur", "jpy", "aud", "hkd", "cad", "cny", "krw", "inr"})
# A headline: a line of at least this many words, every one capitalised but the small ones, with
# no closing punctuation and no colon. List lines ("Dupont De Nemours Inc, up 6.0%", "Apple (AAPL):
# Down -8.9%") have a lower-case word or a colon; corpus/dev's lists lose no claim to this rule.
HEADLINE_WORDS = 4
SMALL_WORDS = frozenset("a an and as at by for from in of on or the to vs with".split())


# Words after "Dow Jones" that make it the publisher ("Dow Jones Newswires", "Dow Jones & Co.",
# "Dow Jones Market Data"), not the index; "S&P Dow Jones Indices" is the index provider.
PUBLISHER_AFTER = frozenset("newswires newswire & co co. market indices".split())
FUTURES = frozenset("future futures e-mini e-minis contract contracts".split())


def is_publisher(mention: Span) -> bool:
    """Whether a "Dow Jones" mention names the news company, in a byline or a credit."""
    if mention.label_ != "^DJI" or mention.text.lower() not in ("dow", "dow jones"):
        return False
    doc = mention.doc
    after = [t.lower_ for t in doc[mention.end : mention.end + 2]]
    if mention.text.lower() == "dow":  # "Dow" alone when the parser split "Dow Jones Newswires"
        after = after[1:] if after[:1] == ["jones"] else []
    before = doc[mention.start - 1].lower_ if mention.start > 0 else ""
    return (bool(after) and after[0] in PUBLISHER_AFTER) or before == "s&p"


# Words around a firm's name that make it the source of data, not an instrument ("Analysts tracked
# by FactSet", "the FactSet consensus", "economists polled by Reuters").
SOURCE_BEFORE = frozenset("tracked polled compiled surveyed".split())
SOURCE_AFTER = frozenset("consensus".split())


def is_data_source(mention: Span) -> bool:
    """Whether the firm is named only as where a number comes from."""
    doc = mention.doc
    before = [t.lower_ for t in doc[max(0, mention.start - 2) : mention.start]]
    after = doc[mention.end].lower_ if mention.end < len(doc) else ""
    return (before[-1:] == ["by"] and before[0] in SOURCE_BEFORE) or after in SOURCE_AFTER


def index_family(mention: Span) -> bool:
    """A company's name used for its indexes ("MSCI's gauge of stocks", "MSCI Latam")."""
    doc, i = mention.doc, mention.end
    if is_index(mention.label_) or i >= mention.sent.end:
        return False
    if doc[i].lower_ in POSSESSIVE:
        words = [t.lower_ for t in doc[i + 1 : min(i + 4, mention.sent.end)]]
        return any(w in INDEX_WORDS for w in words)
    return doc[i].lower_ in INDEX_WORDS


def not_listed(mention: Span) -> bool:
    """Whether a mention is no ticker of the article: the publisher, a data source, an index
    family, or a futures contract."""
    if is_publisher(mention) or is_data_source(mention) or index_family(mention):
        return True
    return _qualified_by(mention, FUTURES)


def _qualified_by(mention: Span, nouns: frozenset[str]) -> bool:
    """Whether one of ``nouns`` follows the name ("S&P 500 futures") or governs it through "for"
    ("futures for the Dow")."""
    doc, i = mention.doc, mention.end
    before = [t.lower_ for t in doc[max(mention.sent.start, mention.start - 3) : mention.start]]
    if "for" in before and any(w in nouns for w in before):
        return True
    return i < mention.sent.end and doc[i].lower_ in nouns


def is_modifier(mention: Span) -> bool:
    """Whether the mention names something else's instrument ("S&P 500 futures", "MSCI's gauge")."""
    return is_publisher(mention) or _qualified_by(mention, MODIFIED) or index_family(mention)


# US indices; any other index a piece names first makes it a foreign market's report.
US_INDICES = frozenset(
    "^GSPC ^NDX ^IXIC ^DJI ^RUT ^VIX ^MID ^SP600 ^OEX ^RUI ^RUA ^NYA ^DJT ^DJU ^SOX ^W5000".split()
)


def is_index(symbol: str) -> bool:
    return symbol.startswith("^") or symbol.endswith((".SS", ".SZ"))


def foreign_report(tickers: list[Span]) -> bool:
    """Whether the piece reports a foreign market ("TSX falls as metal mining shares ...",
    "Hong Kong shares end lower"): the first index it names is not a US one. The stocks such a
    report moves trade on that market, whatever their US listing (Shopify in Toronto, Alibaba
    and Baidu in Hong Kong, Toyota in Tokyo, BP in London)."""
    first = next((t for t in tickers if is_index(t.label_)), None)
    return first is not None and first.label_ not in US_INDICES


def foreign_listing(sent: Span, figures: list[Span]) -> bool:
    """Whether the sentence (whose ``figures`` are given) reports trading on a foreign exchange or
    in a foreign currency."""
    if FOREIGN_WORDS.search(sent.text):
        return True
    return any(f._.amount.unit in FOREIGN_UNITS for f in figures)


# Characters a title line can have on either side of a figure.
HEADLINE_MAX_CHARS = 1000


def in_headline(figure: Span) -> bool:
    """Whether the figure stands on a title line ("Dow, S&P 500 Fall After Inflation Hits 3%")."""
    text = text_of(figure.doc)
    floor = max(figure.start_char - HEADLINE_MAX_CHARS, 0)
    start = text.rfind("\n", floor, figure.start_char) + 1
    end = text.find("\n", figure.end_char, figure.end_char + HEADLINE_MAX_CHARS)
    if (start == 0 and floor > 0) or (end < 0 and figure.end_char + HEADLINE_MAX_CHARS < len(text)):
        return False  # a line this long is prose (and is not read whole for each figure)
    line = text[start : end if end >= 0 else len(text)].strip()
    words = [w for w in re.findall(r"[A-Za-z][\w'&.-]*", line) if w.lower() not in SMALL_WORDS]
    if len(words) < HEADLINE_WORDS or line[-1:] in ".!?:;\"”'’)" or ":" in line:
        return False
    return all(w[0].isupper() for w in words)
