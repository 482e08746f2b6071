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
from bisect import bisect_left
from dataclasses import dataclass
from operator import attrgetter

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
_ALNUM = re.compile(r"[A-Za-z0-9]")
_NON_SPACE = re.compile(r"\S")
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
    leads = _Leads(text, ends)
    para = 0
    for n, (i, direction) in enumerate(marks):
        continued = False
        while ends[para] < i:
            stack = _carry_over(text, stack, ends[para], i, direction, found, leads)
            continued = bool(stack)
            para += 1
        if continued:
            continue  # the mark that reopens a quotation running on from the last paragraph
        if direction == _WEAK_CLOSE and stack and n + 1 < len(marks):
            j, later = marks[n + 1]
            if j < ends[para] and later in (_CLOSE, _WEAK_CLOSE, _EITHER):
                continue  # a possessive: a later mark closes the quotation
        if direction == _OPEN or (direction == _EITHER and not stack):
            stack.append(i)
        elif stack and direction != _OPEN:
            start = stack.pop()
            found.append(Quotation(start + 1, i, start, i))
    while stack:
        _close_at_paragraph_end(stack.pop(), ends[para], found, leads)
    return found


class _Leads:
    """Whether a mark opens its paragraph (only spaces before it), in O(log n) a question."""

    def __init__(self, text: str, ends: list[int]) -> None:
        self.text = text
        self.ends = ends
        self.first: dict[int, int] = {}  # paragraph index -> offset of its first non-space

    def opens_paragraph(self, i: int) -> bool:
        para = bisect_left(self.ends, i)
        if para not in self.first:
            start = self.ends[para - 1] + 1 if para else 0
            found = _NON_SPACE.search(self.text, start, self.ends[para])
            self.first[para] = found.start() if found else self.ends[para]
        return self.first[para] >= i


def _carry_over(
    text: str,
    stack: list[int],
    para_end: int,
    next_mark: int,
    direction: str,
    found: list[Quotation],
    leads: _Leads,
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
        _close_at_paragraph_end(open_at, para_end, found, leads)
    return []


def _close_at_paragraph_end(
    open_at: int, para_end: int, found: list[Quotation], leads: _Leads
) -> None:
    """An unclosed quotation counts only when it opened its paragraph."""
    if leads.opens_paragraph(open_at) and para_end > open_at + 1:
        found.append(Quotation(open_at + 1, para_end, open_at, para_end))


def _covered(spans: list[Quotation]) -> list[tuple[int, int]]:
    """The stretches [open_mark, close_mark] of ``spans`` merged, in order."""
    merged: list[tuple[int, int]] = []
    for q in sorted(spans, key=attrgetter("open_mark")):
        if merged and q.open_mark <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], q.close_mark))
        else:
            merged.append((q.open_mark, q.close_mark))
    return merged


def _outermost(quotations: list[Quotation]) -> list[Quotation]:
    """The quotations no other one contains, in order (open marks are never shared)."""
    outer: list[Quotation] = []
    reach = -1  # the furthest close mark of the quotations opened so far
    for q in sorted(quotations, key=attrgetter("open_mark")):
        if q.close_mark > reach:
            outer.append(q)
        reach = max(reach, q.close_mark)
    return outer


def find_quotations(text: str) -> list[Quotation]:
    """Every outermost quotation in ``text``, in order, trimmed of spaces and trailing ,.;:."""
    doubles = [
        (i, _direction(text, i, DOUBLE_OPEN, DOUBLE_CLOSE))
        for i, c in enumerate(text)
        if c in DOUBLE
    ]
    double_quotes = _pair(text, doubles)
    covered = iter(_covered(double_quotes))
    stretch = next(covered, None)
    singles: list[tuple[int, str]] = []
    for i, c in enumerate(text):
        if c not in SINGLE:
            continue
        while stretch is not None and stretch[1] < i:
            stretch = next(covered, None)
        if stretch is not None and stretch[0] <= i:
            continue  # inside a double-quoted stretch
        direction = _single_direction(text, i)
        if direction is not None:
            singles.append((i, direction))
    outer = _outermost(double_quotes + _pair(text, singles))
    trimmed = (_trim(text, q) for q in outer)
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
    """Whitespace-separated words with a letter or digit (a split and a search: linear time)."""
    return sum(1 for word in quote.split() if _ALNUM.search(word))


def looks_like_title(quote: str) -> bool:
    """ "Return of the Bears": every word capitalised but the small ones."""
    words = [w.strip("\"'.,:;!?()") for w in quote.split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    if not words or len(words) > _TITLE_MAX_WORDS:
        return False
    return all(w[0].isupper() or w.lower() in _TITLE_SMALL for w in words)
