"""The newsclaims_figures component: every number that states a quantity, as a span with an Amount.

``numbers.find_amounts`` reads the numbers and their units from the text. Here we keep what states a
quantity and decide what a number written without a unit is: an index level ("closed at 6,066.44"
-> points), a price ("past a 171.99 buy point" -> usd), or nothing (dates, years, times, durations,
ranks, counts, numbers inside names such as "S&P 500" or "COVID-19").
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from extractor.extensions import FIGURES, text_of
from extractor.numbers import BARE, Amount, find_amounts

FACTORY = "newsclaims_figures"

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# What may stand just before a number that is not a figure: a month ("Feb. 7"), a rank sign, a
# period word ("session 3"), a clock time's hour ("11:35").
_NOT_BEFORE = re.compile(
    rf"(?:\b{_MONTH}\s+|#\s?|\bNo\.\s?|\b(?:rank|ranked|top|page|item|form|section|chapter"
    r"|session|day|week|month|quarter|year|fiscal|phase|tier|level \d|grade)\s+|\d:|[=])$",
    re.IGNORECASE,
)
# A capitalised word just before a whole number makes it part of a name ("S&P 500", "IBD 50").
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w&./-]*|[A-Z]&[A-Z])\s$")
# After a number: a compound ("10-year", "50-day"), a clock, a duration or a count noun.
_NOT_AFTER = re.compile(
    r"^(?:-(?!to-)[A-Za-z]|-\s|:\d|\s?(?:a\.m\.|p\.m\.|am\b|pm\b|ET\b|EST\b|GMT\b)|/\d"
    r"|\s+(?:straight"
    r"|consecutive|years?|months?|weeks?|days?|sessions?|hours?|minutes?|seconds?|times|out\s+of"
    r"|of\s+(?:the|its|their|\d)|st\b|nd\b|rd\b|th\b)\b|(?:st|nd|rd|th)\b)",
    re.IGNORECASE,
)
# Words that make a bare number a level: prepositions of a level and the index's own words.
_LEVEL_BEFORE = re.compile(
    r"\b(?:to|at|from|of|above|below|near|past|around|over|under|reach|reached|hit|toward|towards"
    r"|topped|top|tops|than|level|high|low|peak|record|then-high|revised|reading|as)"
    r"\s+(?:(?:a|an|the|its|their|new|fresh|record|just|intraday|all-time|session|prior"
    r"|upwardly|downwardly)\s+)*(?:[\w'-]+'s\s+)?$|\($",
    re.IGNORECASE,
)
_PRICE_AFTER = re.compile(
    r"^\s+(?:[\w-]+\s+){0,3}?(?:buy\s+points?|entry|entries|buy\s+zone|handle\s+entry"
    r"|per\s+share|a\s+share)\b",
    re.IGNORECASE,
)
# The cue nearest before a bare number says what it is: a price ("buy point", "shares", "$"),
# an index level ("the Dow", "index", "points") or a count of things ("jobless claims").
_CUES = re.compile(
    r"(?P<price>\$|\b(?:buy\s+(?:points?|zones?|areas?|ranges?)|entry|entries|cup|base|breakout"
    r"|shares?|stock|stocks|per\s+share|price\s+target|ounce|barrel)\b)"
    r"|(?P<index>\b(?:S&P|Dow|DJIA|Nasdaq|NASDAQ|Russell|[Ii]ndex(?:es)?|indices|VIX|[Cc]omposite"
    r"|[Ii]ndustrial\s+[Aa]verage|industrials|[Ss]entiment|[Cc]onfidence|gauge|barometer"
    r"|Stoxx|STOXX|FTSE|Nikkei|DAX|CAC|Hang\s+Seng|TSX|KOSPI|PMI|benchmark|[Rr]eadings?|metric"
    r"|scale|points?)"
    r"(?:\b|(?=®)))"
    r"|(?P<count>\b(?:claims|jobs|payrolls|workers|employees|people|homes|units|starts|permits"
    r"|vehicles|deliveries|subscribers|users|customers|contracts|applications|analysts"
    r"|components|members|companies|stocks\s+hit|groups)\b)"
)
_RATING = re.compile(r"\b(?:rating|rank|ranked|ranking|score|grade)s?\b", re.IGNORECASE)
# A lower-case word right after a number that is none of these makes it a count ("30 stocks").
_FREE_AFTER = frozenset(
    "a an the on in at for from to and or as with by vs vs. versus after before this last per"
    " but while when then earlier later intraday during since amid which that level levels mark"
    " threshold line lines zone milestone barrier ceiling floor handle".split()
)
_SCALED = re.compile(r"\d\s?-?(?:thousand|million|billion|trillion|mln|bln|mn|bn|tn|[kmbt])\b")
# A worked formula ("0.28 x 0.915 = .256"): its bare decimals are ratios.
_FORMULA = re.compile(r"(?:(?<![A-Za-z])[x×]|[=/])\s?$")
_FORMULA_AFTER = re.compile(r"^\s?(?:[x×](?![A-Za-z])|[=/])")
_YEAR = (1900, 2100)
# How far back (characters) a scaled bare number ("20.5 billion") looks for the unit it repeats:
# tuned on dev, where the repeated unit ("16.4 billion shares ... average of 20.5 billion") sits
# within one or two sentences.
_ECHO_WINDOW = 240
_ECHO_UNIT = re.compile(r"\b(?:shares?|stocks? traded)\b|[$€£¥]")


# Figures read per document, the first ones: keeps a document of 100k numbers linear (claims,
# periods and cues compare each figure with its neighbours). Dev and wild articles have < 200.
MAX_FIGURES = 1000
# Characters of the sentence before a number that its reading looks at (two sentences of prose are
# far shorter; an unpunctuated 1 MB line is not read whole for each of its numbers).
_BEFORE_REACH = 3000


class FigureFinder:
    """Writes the FIGURES span group: one span per figure, ``span._.amount`` its Amount."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for found in find_amounts(text_of(doc)):
            amount = resolve(doc, found)
            if amount is None:
                continue
            span = doc.char_span(amount.start, amount.end, alignment_mode="expand")
            if span is None:
                continue
            span._.amount = amount
            spans.append(span)
            if len(spans) == MAX_FIGURES:
                break
        doc.spans[self.spans_key] = spans
        return doc


def resolve(doc: Doc, amount: Amount) -> Amount | None:
    """The amount as a figure, or None when it is not one (a date, a name, a count ...)."""
    return amount if amount.unit != BARE else _resolve_bare(doc, amount)


def _number_start(amount: Amount) -> int:
    """Where the digits begin (after a hedge such as "more than")."""
    m = re.search(r"[\d.]", amount.text)
    return amount.start + (m.start() if m else 0)


def _resolve_bare(doc: Doc, amount: Amount) -> Amount | None:
    text = text_of(doc)
    start = _number_start(amount)
    before, after = text[max(0, start - 60) : start], text[amount.end : amount.end + 40]
    digits = amount.text[start - amount.start :]
    value = amount.value if amount.value is not None else amount.high
    if value is None:
        return None
    if _FORMULA.search(before) or _FORMULA_AFTER.search(after):
        decimal = "." in digits and abs(value) < 10
        return replace(amount, unit="multiple") if decimal else None
    if _NOT_BEFORE.search(before) or _NOT_AFTER.search(after):
        return None
    if _PRICE_AFTER.search(after):
        return replace(amount, unit="usd")
    chained = after.startswith("-to-") or before.endswith("-to-")  # "the 33,000-to-34,000 jump"
    if _counted(after) and not chained:
        return None
    is_int = re.fullmatch(r"[-−+]?\d+", digits) is not None
    if is_int and (_YEAR[0] <= abs(value) <= _YEAR[1] or _NAME_BEFORE.search(before)):
        return None
    if _SCALED.search(digits):  # "20.5 billion": a scale with no unit
        return _echo_unit(text, amount)
    if not (chained or _LEVEL_BEFORE.search(before)):
        return None
    sentence = _sentence_before(doc, start)
    if _RATING.search(sentence[-60:]):
        return None
    cues = list(_CUES.finditer(sentence))
    kind = cues[-1].lastgroup if cues else None
    if kind == "index":
        return replace(amount, unit="points")
    if kind == "price":
        return replace(amount, unit="usd")
    return None


def _counted(after: str) -> bool:
    """ "30 stocks", "11 broad sectors": a lower-case word that is not a preposition follows."""
    m = re.match(r"\s+([a-z][\w.,-]*)", after)
    return m is not None and m.group(1).rstrip(".,") not in _FREE_AFTER


def _echo_unit(text: str, amount: Amount) -> Amount | None:
    """A scaled number with no unit repeats the unit of the amount just before it."""
    window = text[max(0, amount.start - _ECHO_WINDOW) : amount.start]
    units = _ECHO_UNIT.findall(window)
    if not units:
        return None
    return replace(amount, unit="usd" if units[-1] in "$€£¥" else "shares")


def _sentence_before(doc: Doc, start: int) -> str:
    """The text of the number's sentence up to the number (the line, without a parse)."""
    if doc.has_annotation("SENT_START"):
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is not None:
            sent = span[0].sent
            # the previous sentence too: "The VIX ... . It then slid to 18.2" keeps its subject
            first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
            return text_of(doc)[max(doc[first].idx, start - _BEFORE_REACH) : start]
    line_start = text_of(doc).rfind("\n", max(start - _BEFORE_REACH, 0), start) + 1
    line_start = line_start or max(start - _BEFORE_REACH, 0)
    return text_of(doc)[line_start:start]


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": FIGURES})
def make_figures(nlp: Language, name: str, spans_key: str) -> FigureFinder:
    return FigureFinder(nlp.vocab, spans_key=spans_key)
