"""Where the direct quotations are: pairing quote marks in plain text (no spaCy).

Double marks (straight or curly) are paired first; single marks are paired outside the
double-quoted stretches, skipping apostrophes ("don't", "investors'", "'90s"). A mark's direction
comes from its neighbours (space before and a word after opens; a word before and space or
punctuation after closes), then from its glyph, then from whether a quotation is open. A
quotation left open at the end of a paragraph continues when the next paragraph opens with a
mark (the news convention for long quotes), and is dropped otherwise unless it opened the
paragraph. A quotation inside another one is dropped. Nothing here raises on odd input: stray
marks are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "\u201c\u201e\u201f"
DOUBLE_CLOSE = "\u201d"
DOUBLE = '"' + DOUBLE_OPEN + DOUBLE_CLOSE
SINGLE_OPEN = "\u2018\u201a\u201b"
SINGLE_CLOSE = "\u2019"
SINGLE = "'" + SINGLE_OPEN + SINGLE_CLOSE
_OPENING_NEIGHBOURS = "([{\u2014\u2013/:" + DOUBLE + SINGLE
_CLOSING_NEIGHBOURS = ".,;:!?)]}\u2014\u2013-\u2026" + DOUBLE + SINGLE
_OPEN, _CLOSE, _EITHER, _WEAK_CLOSE = "open", "close", "either", "weak"
_DECADE = re.compile(r"\d0s\b")
_WORD = re.compile(r"\S*[A-Za-z0-9]\S*")
# Words a title leaves in lower case ("Return of the Bears", "Top Picks for Today").
_TITLE_SMALL = frozenset("a an and as at by for in of on or the to vs with".split())
# Quotations of up to this many words written In Title Case are titles, not speech (tuned on dev:
# the longest title there has 4 words; real quotes in title case did not occur).
_TITLE_MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class Quotation:
    """Inner character offsets of one quotation: [start, end) excludes the marks."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int  # offset of the closing mark (== end of paragraph when unclosed)


def _neighbours(text: str, i: int) -> tuple[str, str]:
    left = text[i - 1] if i > 0 else " "
    right = text[i + 1] if i + 1 < len(text) else " "
    return left, right


def _direction(text: str, i: int, opens: str, closes: str) -> str:
    left, right = _neighbours(text, i)
    can_open = (left.isspace() or left in _OPENING_NEIGHBOURS) and not right.isspace()
    can_close = (right.isspace() or right in _CLOSING_NEIGHBOURS) and not left.isspace()
    if can_open and not can_close:
        return _OPEN
    if can_close and not can_open:
        return _CLOSE
    if text[i] in opens:
        return _OPEN
    if text[i] in closes:
        return _CLOSE
    return _EITHER


def _single_direction(text: str, i: int) -> str | None:
    """Direction of a single mark, or None for an apostrophe."""
    left, right = _neighbours(text, i)
    if left.isalnum() and right.isalnum():
        return None  # don't, O'Day, Alphabet's
    if (left.isspace() or left in _OPENING_NEIGHBOURS) and _DECADE.match(text, i + 1):
        return None  # '90s
    direction = _direction(text, i, SINGLE_OPEN, SINGLE_CLOSE)
    if direction == _EITHER:
        return None  # glued to words on both sides: Corp.'s
    if direction == _CLOSE and left in "sS" and right.isspace():
        return _WEAK_CLOSE  # investors' (or the end of a quotation)
    return direction


def _paragraph_ends(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"\n", text)] + [len(text)]


def _pair(text: str, marks: list[tuple[int, str]]) -> list[Quotation]:
    """Pair directed marks into quotations (outermost and inner alike), paragraph by paragraph."""
    found: list[Quotation] = []
    stack: list[int] = []
    ends = _paragraph_ends(text)
    para = 0
    for n, (i, direction) in enumerate(marks):
        continued = False
        while ends[para] < i:
            stack = _carry_over(text, stack, ends[para], i, direction, found)
            continued = bool(stack)
            para += 1
        if continued:
            continue  # the mark that reopens a quotation running on from the last paragraph
        if direction == _WEAK_CLOSE and stack:
            later = [d for j, d in marks[n + 1 :] if j < ends[para]]
            if later and later[0] in (_CLOSE, _WEAK_CLOSE, _EITHER):
                continue  # a possessive: a later mark closes the quotation
        if direction == _OPEN or (direction == _EITHER and not stack):
            stack.append(i)
        elif stack and direction != _OPEN:
            start = stack.pop()
            found.append(Quotation(start + 1, i, start, i))
    while stack:
        _close_at_paragraph_end(text, stack.pop(), ends[para], found)
    return found


def _carry_over(
    text: str,
    stack: list[int],
    para_end: int,
    next_mark: int,
    direction: str,
    found: list[Quotation],
) -> list[int]:
    """At a paragraph end: keep the open quotation when the next paragraph opens with a mark."""
    if not stack:
        return stack
    next_start = text.rfind("\n", 0, next_mark) + 1
    gap = text[para_end:next_start]
    opens_next = direction in (_OPEN, _EITHER) and text[next_start:next_mark].strip() == ""
    if opens_next and gap.strip() == "":
        return stack[:1]
    for open_at in stack[:1]:
        _close_at_paragraph_end(text, open_at, para_end, found)
    return []


def _close_at_paragraph_end(text: str, open_at: int, para_end: int, found: list[Quotation]) -> None:
    """An unclosed quotation counts only when it opened its paragraph."""
    para_start = text.rfind("\n", 0, open_at) + 1
    if text[para_start:open_at].strip() == "" and para_end > open_at + 1:
        found.append(Quotation(open_at + 1, para_end, open_at, para_end))


def _inside(i: int, spans: list[Quotation]) -> bool:
    return any(q.open_mark <= i <= q.close_mark for q in spans)


def find_quotations(text: str) -> list[Quotation]:
    """Every outermost quotation in ``text``, in order, trimmed of spaces and trailing ,.;:."""
    doubles = [
        (i, _direction(text, i, DOUBLE_OPEN, DOUBLE_CLOSE))
        for i, c in enumerate(text)
        if c in DOUBLE
    ]
    double_quotes = _pair(text, doubles)
    singles: list[tuple[int, str]] = []
    for i, c in enumerate(text):
        if c in SINGLE and not _inside(i, double_quotes):
            direction = _single_direction(text, i)
            if direction is not None:
                singles.append((i, direction))
    quotations = double_quotes + _pair(text, singles)
    outer = [
        q
        for q in quotations
        if not any(
            o is not q and o.open_mark <= q.open_mark and q.close_mark <= o.close_mark
            for o in quotations
        )
    ]
    trimmed = (_trim(text, q) for q in sorted(outer, key=lambda q: q.open_mark))
    return [q for q in trimmed if q is not None]


def _trim(text: str, q: Quotation) -> Quotation | None:
    start, end = q.start, q.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",.;:"):
        end -= 1
    if end <= start:
        return None
    return Quotation(start, end, q.open_mark, q.close_mark)


def word_count(quote: str) -> int:
    return len(_WORD.findall(quote))


def looks_like_title(quote: str) -> bool:
    """ "Return of the Bears": every word capitalised but the small ones."""
    words = [w.strip("\"'.,:;!?()") for w in quote.split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    if not words or len(words) > _TITLE_MAX_WORDS:
        return False
    return all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in words)
