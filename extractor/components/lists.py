"""Whose number a list line states: the instrument its introducing line names.

Dow Jones' Data Talk briefs (and other fact sheets) name one instrument on an opening line and
then list facts about it, one a line, with no subject of their own:

    Zoetis, Inc. Class A (ZTS) is currently at $157.69, down $16.19 or 9.31%
    - Down 7.73% month-to-date
    - Worst two day stretch since the two days ending Nov. 3, 2022, when it fell 14.13%

    The S&P 500 Index is up 2.06 points or 0.03% today to 6068.50
    --Month-to-date it is up 0.46%

Such a line's figure is about the introducing line's instrument, as long as that line names just
the one and no list line in between names another ("- Second worst performer in the S&P 500
today" ends the reach).
"""

from __future__ import annotations

from spacy.tokens import Span

from extractor.components import mentions
from extractor.extensions import TICKERS, text_of

LIST_MARKS = ("-", "•", "*")


def _line_bounds(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, end if end >= 0 else len(text)


def _intro_line(text: str, line_start: int) -> tuple[int, int] | None:
    """The nearest line above ``line_start`` that is neither blank nor a list item."""
    end = line_start - 1
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line and not line.startswith(LIST_MARKS):
            return start, end
        end = start - 1
    return None


def list_owner(figure: Span) -> Span | None:
    """The instrument a list line's figure is about, when its introducing line names only it."""
    doc = figure.doc
    text = text_of(doc)
    line_start, _ = _line_bounds(text, figure.start_char)
    if not text[line_start : figure.start_char].lstrip().startswith(LIST_MARKS):
        return None
    intro = _intro_line(text, line_start)
    if intro is None or TICKERS not in doc.spans:
        return None
    named: list[Span] = [
        t
        for t in doc.spans[TICKERS]
        if intro[0] <= t.start_char < figure.start_char and not mentions.is_modifier(t)
    ]
    owners: list[Span] = [t for t in named if t.start_char < intro[1]]
    if not owners or len({t.label_ for t in named}) != 1:
        return None
    return owners[0]
