"""Time expressions in a text -> trading-day periods: ``find_periods`` and ``resolve_text``.

Joins the halves of time expressions: ``extractor.timex``'s ``RULES`` table pairs each regex with
a rule kind, and ``extractor.timex_resolvers.RESOLVERS`` maps each kind to a small resolver built
on ``extractor.dates``' calendar arithmetic. Here are ``Mention`` (an expression's offsets and
period) and the year carry-over (a date written without its year keeps the year of a full date
just before it). Imports go one way: this module imports the other three; none imports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from extractor.dates import (
    SESSION_ONLY,
    Period,
    Resolver,
    TradingCalendar,
)
from extractor.timex import DATE, RULES
from extractor.timex_resolvers import RESOLVERS, on_date

_COMPILED = tuple((re.compile(p, re.IGNORECASE | re.MULTILINE), RESOLVERS[k]) for p, k in RULES)


@dataclass(frozen=True, slots=True)
class Mention:
    """A time expression in a text: half-open character offsets and what it resolves to."""

    start: int
    end: int
    text: str
    period: Period


def find_periods(
    text: str,
    *,
    published: date | None,
    calendar: TradingCalendar,
    anchor: date | None = None,
    latest: date | None = None,
) -> list[Mention]:
    """Every time expression in ``text``, resolved; ``anchor`` defaults to ``published``."""
    resolver = Resolver(calendar, published, anchor or published, latest)
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for pattern, resolve in _COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            period = resolve(resolver, match.groupdict())
            if period is None:
                continue
            taken.append((start, end))
            found.append(Mention(start, end, match.group(0), period))
    return _carry_years(sorted(found, key=attrgetter("start")), resolver)


# A date written without its year ("two days later on March 17") takes the year of a full date
# ("On March 10, 2020") this many characters before it: the span of a short narrative passage.
# corpus/dev's one history passage needs 450 (three short paragraphs); 800 leaves some room while
# staying inside the passage.
CARRY_CHARS = 800
_DATED = re.compile(DATE, re.IGNORECASE)


def _carry_years(found: list[Mention], resolver: Resolver) -> list[Mention]:
    """Dates without a year inside a passage that names an earlier year keep to that year."""
    year: tuple[int, int] | None = None  # (year, where it was written)
    result = []
    for mention in found:
        match = _DATED.search(mention.text)
        if match and match.group("year"):
            year = (int(match.group("year")), mention.start)
        elif match and year and mention.start - year[1] < CARRY_CHARS:
            groups = {**match.groupdict(), "year": str(year[0])}
            period = on_date(resolver, groups) if mention.period.label == "day" else None
            if period is not None and period.end != mention.period.end:
                mention = Mention(mention.start, mention.end, mention.text, period)
        result.append(mention)
    return result


def resolve_text(
    text: str, *, published: date | None, calendar: TradingCalendar, anchor: date | None = None
) -> Period | None:
    """The period of the first dated expression in ``text``; a session cue lends it a session."""
    mentions = find_periods(text, published=published, calendar=calendar, anchor=anchor)
    dated = [m.period for m in mentions if m.period.label not in SESSION_ONLY]
    cues = [m.period for m in mentions if m.period.session is not None]
    if not dated:
        return cues[0] if cues else None
    first = dated[0]
    if first.session is None and cues:
        return Period(first.start, first.end, cues[0].session, first.label)
    return first
