"""Numbers as written -> values: "$3.3 billion" -> (3.3e9, "usd"), word fractions, ranges, hedges.

No spaCy here: plain functions over strings, so every rule is a row in a table-driven test.
``find_amounts(text)`` scans a whole text; ``parse_amount(text)`` reads one expression. A number
written with no unit at all ("closed at 6,066.44") comes back with ``unit == BARE``: whether it is
an index level, a price or nothing is for the caller, which sees the context.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from extractor.types import Bound, Unit

BARE: Unit = ""  # a number with no unit of its own; the figures component decides what it is

SCALES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3,
    "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6,
    "billion": 1e9, "bln": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12, "trln": 1e12, "tn": 1e12, "trn": 1e12, "t": 1e12,
}  # fmt: skip
CURRENCIES: dict[str, str] = {
    "$": "usd", "us$": "usd", "u.s.$": "usd", "usd": "usd", "dollars": "usd", "dollar": "usd",
    "c$": "cad", "ca$": "cad", "cad": "cad", "a$": "aud", "au$": "aud", "aud": "aud",
    "nz$": "nzd", "hk$": "hkd", "s$": "sgd", "r$": "brl", "€": "eur", "eur": "eur",
    "euros": "eur", "euro": "eur", "£": "gbp", "gbp": "gbp", "¥": "jpy", "jpy": "jpy",
    "yen": "jpy", "yuan": "cny", "cny": "cny", "renminbi": "cny", "₹": "inr", "rupees": "inr",
    "₩": "krw", "won": "krw", "chf": "chf", "francs": "chf",
}  # fmt: skip
WORD_NUMBERS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
FRACTIONS: dict[str, float] = {
    "half": 1 / 2, "halves": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4,
    "quarters": 1 / 4, "fourth": 1 / 4, "fourths": 1 / 4, "fifth": 1 / 5, "fifths": 1 / 5,
    "tenth": 1 / 10, "tenths": 1 / 10,
}  # fmt: skip
APPROX = ("about", "around", "roughly", "approximately", "nearly", "almost", "close to", "some",
          "an estimated", "circa", "~")  # fmt: skip
AT_LEAST = ("more than", "over", "above", "at least", "upwards of", "just over", "in excess of",
            "north of", "greater than", "better than", "just above")  # fmt: skip
AT_MOST = ("less than", "under", "below", "up to", "at most", "just under", "fewer than",
           "no more than", "south of", "just shy of", "just below")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Amount:
    """A figure found in text: exact character offsets, the value and how it is hedged."""

    text: str
    start: int
    end: int
    value: float | None
    unit: Unit
    low: float | None = None
    high: float | None = None
    approx: bool = False
    bound: Bound | None = None


_NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
_CUR = (
    r"U\.?S\.?\$|C\$|CA\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|\$|€|£|¥|₹|₩"
    r"|(?:USD|EUR|GBP|JPY|CHF)\s?"
)
_LONG_SCALE = r"thousand|million|billion|trillion|mln|bln|trln|mn|bn|tn|trn"
_UNITS = (
    r"(?P<pp>\s?(?:percentage|pct\.?)[\s-]points?\b|\s?ppts?\b|\s?p\.p\.|\s?pp\b)"
    r"|(?P<pct>\s?%|\s?per\s?cent\b|\s?pct\b)"
    r"|(?P<bp>[\s-]?(?:basis[\s-]points?|bps?)\b)"
    r"|(?P<pts>[\s-](?:index[\s-])?(?:points?|pts?)\b)"
    r"|(?P<mult>x\b|\s(?:x(?=\s+[$\d])|times(?=\s+(?:as|more|higher|larger|bigger|greater|the"
    r"|its|forward|trailing|earnings|sales|revenue|book|cash|ebitda|over)\b)))"
    r"|(?P<shares>[\s-]shares?\b)"
    r"|(?P<cents>[\s-]cents?\b|¢)"
    r"|(?P<curword>\s(?:U\.S\.\s)?(?:dollars?|euros?|yen|yuan|renminbi|rupees|francs|USD|EUR|GBP"
    r"|JPY|CNY|CAD|AUD|CHF)\b)"
)
_AMOUNT = re.compile(
    r"(?<![\w.,$€£¥%])(?:(?<![A-Za-z]-)|(?<=-to-))"  # not glued to a word ("COVID-19", "Q4")
    rf"(?P<sign>[-−+](?=[\d.$€£¥]|US))?(?P<cur>{_CUR})?"
    rf"(?P<num>{_NUM})"
    rf"(?:(?:\s|-(?=[a-z]))?(?P<scale>{_LONG_SCALE})\b|(?P<short>[kKmMbBtT])(?![\w])"
    rf"|\s(?P<spaced>m|bn|mn)\b)?"
    rf"(?:{_UNITS})?(?P<plus>-plus\b)?(?![\w])",
)
_SMALL = r"[0-9]{1,2}(?:\.[0-9]+)?"
_RATIO = re.compile(
    rf"(?<![\w.,])(?P<a>[0-9]{{1,3}}(?:\.[0-9]+)?)(?:-to-|\s+to\s+)(?P<b>one|{_SMALL})"
    rf"(?![,.]?[0-9])(?:\s+ratio\b)?"
    rf"|(?<![\w.,])(?P<c>[0-9]{{1,3}}(?:\.[0-9]+)?)[-–:](?P<d>{_SMALL})\s+ratio\b",
)
_WORD = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_FRAC = "|".join(sorted(FRACTIONS, key=len, reverse=True))
_WORD_UNIT = re.compile(
    rf"\b(?P<word>{_WORD})(?:\s+full)?\s+(?:(?P<pp>percentage\s+points?)|(?P<pct>per\s?cent)\b"
    rf"|(?P<bp>basis\s+points?))\b",
    re.IGNORECASE | re.ASCII,
)
_FRACTION = re.compile(
    rf"\b(?:(?P<word>{_WORD})[\s-])?(?P<frac>{_FRAC})(?:(?P<pp>[\s-]point\b|\s+of\s+(?:a|one)\s+"
    rf"(?:percentage\s+)?point\b|\s+(?:a|one)\s+percentage\s+point\b)|(?P<of>\s+of\b)"
    r")?",
    re.IGNORECASE | re.ASCII,
)
_ORDINAL_BEFORE = re.compile(
    r"\b(?:first|second|third|fourth|back|front|latter|last|next|upper|lower|bottom|top|final"
    r"|current|previous|past|this|that|straight|fiscal|calendar|same|each|every|per|the)\s+$",
    re.IGNORECASE | re.ASCII,
)
_TWICE = re.compile(r"\b(?P<w>twice|thrice)(?=\s+(?:as|the|that)\b)", re.IGNORECASE | re.ASCII)
_HEDGE = re.compile(
    r"(?:(?<![\w])(?:(?:just|well|slightly|only)\s+)?(?P<w>"
    + "|".join(sorted((h for h in APPROX + AT_LEAST + AT_MOST if h != "~"), key=len, reverse=True))
    + r")\s+(?:a\s+)?|(?P<tilde>~)\s?)$",
    re.IGNORECASE | re.ASCII,
)
_BETWEEN = re.compile(r"(?<![\w])between\s+$", re.IGNORECASE | re.ASCII)
_FROM = re.compile(r"(?<![\w])from\s+$", re.IGNORECASE | re.ASCII)
# a mover before "A to B" makes it a change and a level ("rose 2% to 5%"), not a range
_MOVER = re.compile(
    r"(?<![\w])(?:rose|fell|up|down|gained|lost|added|climbed|jumped|dropped|slid|declined|"
    r"increased|decreased|rising|falling|advanced|rallied|sank|slipped|surged|tumbled|soared|"
    r"plunged|shed|eased|edged|rises|falls|gains|jumps|drops|by)\s+$",
    re.IGNORECASE | re.ASCII,
)


def parse_number(text: str) -> float | None:
    """ "6,066.44" -> 6066.44, ".256" -> 0.256, "five" -> 5; None when it is not a number."""
    cleaned = text.strip().replace(",", "")
    if cleaned.lower() in WORD_NUMBERS:
        return float(WORD_NUMBERS[cleaned.lower()])
    try:
        return float(cleaned)
    except ValueError:
        return None


def _unit_of(m: re.Match[str]) -> tuple[Unit, float]:
    """The unit a match names and the factor to apply to the number."""
    cur = m.group("cur")
    if m.group("cents"):
        return "usd", 0.01
    if cur:
        return CURRENCIES.get(cur.strip().lower().replace(".", ""), "usd"), 1.0
    for group, unit in (("pp", "pp"), ("pct", "percent"), ("bp", "bp"), ("pts", "points"),
                        ("mult", "multiple"), ("shares", "shares")):  # fmt: skip
        if m.group(group):
            return unit, 1.0
    if m.group("curword"):
        word = m.group("curword").split()[-1].lower()
        return CURRENCIES.get(word, "usd"), 1.0
    return BARE, 1.0


def _scale_of(m: re.Match[str], unit: Unit) -> tuple[float, int]:
    """The scale factor and where the scale word ends (the match end when there is none)."""
    word = m.group("scale") or m.group("spaced")
    if m.group("short"):
        short = m.group("short")
        if unit in ("percent", "pp", "bp", "points", "multiple") or (
            not m.group("cur") and short.lower() != "k"
        ):
            return 1.0, m.start("short")  # "5M" with no currency: not a scale we trust
        word = short
    if word is None:
        return 1.0, m.end()
    return SCALES[word.lower()], m.end()


def _from_match(text: str, m: re.Match[str]) -> Amount | None:
    number = parse_number(m.group("num"))
    if number is None:
        return None
    unit, factor = _unit_of(m)
    scale, end = _scale_of(m, unit)
    if end != m.end():  # an untrusted short scale: re-read without it
        unit = BARE if not m.group("cur") else unit
    value = _scaled(_scaled(number, scale), factor)
    if m.group("sign") in ("-", "−"):
        value = -value
    bound: Bound | None = "at_least" if m.group("plus") else None
    return Amount(text[m.start() : end], m.start(), end, value, unit, bound=bound)


def _ratio(text: str, m: re.Match[str]) -> Amount | None:
    a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
    num, den = parse_number(a), 1.0 if b.lower() == "one" else parse_number(b)
    if num is None or not den or ("-to-" not in m.group(0) and "ratio" not in m.group(0)):
        return None
    if num < den and "ratio" not in m.group(0):
        return None  # "3-to-5 days" reads as a range of counts, not a ratio
    value = round(num / den, 4)
    return Amount(m.group(0), m.start(), m.end(), value, "multiple")


def _word_amounts(text: str) -> list[Amount]:
    found: list[Amount] = []
    for m in _WORD_UNIT.finditer(text):
        unit = "pp" if m.group("pp") else "percent" if m.group("pct") else "bp"
        value = float(WORD_NUMBERS[m.group("word").lower()])
        found.append(Amount(m.group(0), m.start(), m.end(), value, unit))
    for m in _FRACTION.finditer(text):
        word = (m.group("word") or "").lower()
        frac = FRACTIONS[m.group("frac").lower()]
        count = float(WORD_NUMBERS.get(word, 1))
        hyphenated = bool(word) and text[m.start("frac") - 1] == "-"
        alone = m.group("frac").lower() in ("half", "halves") or (
            m.group("frac").lower() == "quarter" and m.group("pp")
        )
        if not word and not alone:
            continue  # "the fourth quarter of 2025" is a period; "a quarter of" needs its "a"
        if _ORDINAL_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "the first half of the year", "second straight quarter of"
        if m.group("pp"):
            found.append(Amount(m.group(0), m.start(), m.end(), count * frac, "pp"))
        elif m.group("of") or hyphenated:
            end = m.end("frac")
            share = round(100 * count * frac, 2)
            found.append(Amount(text[m.start() : end], m.start(), end, share, "percent"))
    for m in _TWICE.finditer(text):
        value = 2.0 if m.group("w").lower() == "twice" else 3.0
        found.append(Amount(m.group(0), m.start(), m.end(), value, "multiple"))
    return found


def _numeric_amounts(text: str) -> list[Amount]:
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for m in _RATIO.finditer(text):
        amount = _ratio(text, m)
        if amount is not None:
            found.append(amount)
            taken.append((amount.start, amount.end))
    for m in _AMOUNT.finditer(text):
        if any(s <= m.start("num") < e for s, e in taken):
            continue
        amount = _from_match(text, m)
        if amount is not None:
            found.append(amount)
    return found


def _join_range(text: str, a: Amount, b: Amount) -> Amount | None:
    """ "10-20%", "$1.5 billion to $2 billion", "between 3.5% and 3.75%" -> one ranged Amount."""
    gap = text[a.end : b.start]
    before = text[max(0, a.start - 12) : a.start]
    between = _BETWEEN.search(before)
    if gap in ("-", "–", "—", " – "):
        pass
    elif gap.strip().lower() == "to" or (between and gap.strip().lower() == "and"):
        if _FROM.search(before) or (not between and _MOVER.search(before)):
            return None
    else:
        return None
    if a.value is None or b.value is None or a.unit not in (BARE, b.unit):
        return None
    if b.unit == BARE and gap in ("-", "–", "—", " – "):
        return None  # "3-2", "2024-25": scores, seasons and ratios, not ranges
    low = a.value
    if _trailing_scale(a.text) == 1.0 and a.unit in (BARE, "usd", "eur", "gbp", "shares"):
        low = _scaled(a.value, _trailing_scale(b.text))  # "$155 to $170 million": one scale
    if low > b.value:
        return None
    start = a.start - len(between.group(0)) if between else a.start
    return Amount(text[start : b.end], start, b.end, None, b.unit, low=low, high=b.value)


def _trailing_scale(text: str) -> float:
    m = re.search(rf"\d\s?-?({_LONG_SCALE}|[kmbt])\b", text, re.IGNORECASE | re.ASCII)
    return SCALES[m.group(1).lower()] if m else 1.0


def _scaled(number: float, factor: float) -> float:
    """number * factor without binary noise: 16.1 * 1e9 -> 16100000000.0."""
    return float(Decimal(repr(number)) * Decimal(repr(factor)))


def _hedged(text: str, amount: Amount) -> Amount:
    """Widen an amount over a hedge written just before it ("more than 4%", "about $2 billion")."""
    m = _HEDGE.search(text[max(0, amount.start - 24) : amount.start])
    if m is None:
        return amount
    start = amount.start - len(m.group(0))
    word = " ".join((m.group("w") or "~").lower().split())
    approx = amount.approx or word in APPROX
    bound = amount.bound or ("at_least" if word in AT_LEAST else None)
    bound = bound or ("at_most" if word in AT_MOST else None)
    return replace(amount, text=text[start : amount.end], start=start, approx=approx, bound=bound)


def _text_order(amount: Amount) -> tuple[int, int]:
    """Left to right, the longer of two amounts starting together first."""
    return amount.start, -amount.end


def find_amounts(text: str) -> list[Amount]:
    """Every number in ``text`` that carries or may carry a unit, ranges joined, hedges attached."""
    words = _word_amounts(text)
    numeric = [
        a for a in _numeric_amounts(text) if not any(w.start <= a.start < w.end for w in words)
    ]
    ordered = sorted(numeric + words, key=_text_order)
    merged: list[Amount] = []
    for amount in ordered:
        if merged and amount.start < merged[-1].end:
            continue
        joined = _join_range(text, merged[-1], amount) if merged else None
        if joined is not None:
            merged[-1] = joined
        else:
            merged.append(amount)
    return [_hedged(text, a) for a in merged if _finite(a)]


def _finite(amount: Amount) -> bool:
    """A number too large for a double (a run of 400 digits) is no figure: it would be inf."""
    return all(v is None or math.isfinite(v) for v in (amount.value, amount.low, amount.high))


def parse_amount(text: str) -> Amount | None:
    """The one amount an expression states ("about $3.3 billion"), or None."""
    found = [a for a in find_amounts(text) if a.unit != BARE]
    return found[0] if len(found) == 1 else None
