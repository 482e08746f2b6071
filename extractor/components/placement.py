"""Which period a figure's move is read over: ``period_for``, what the claims linker asks.

The newsclaims_periods component (``periods.py``) has written every time expression as a PERIODS
span and the article's defaults into ``doc.user_data``; the rules here choose, for one figure, the
expression that governs it (in its own clause first, then the nearest), or one it inherits from
the sentence before, the line heading its table, the news told before it, or the default, and say
on what basis (``Placement.basis``), so a reading that was a guess is never an open discrepancy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from spacy.tokens import Span, Token

from extractor.components.lists import LIST_MARKS
from extractor.components.periods import (
    DATA_CLOCK_KEY,
    DEFAULT_BASIS_KEY,
    DEFAULT_KEY,
    FORECAST_KEY,
    PREMARKET_KEY,
    SESSION_BASIS_KEY,
)
from extractor.dates import (
    SESSION_ONLY,
    Period,
    clock_session,
)
from extractor.extensions import PERIODS, text_of
from extractor.types import PeriodBasis, Session, SessionBasis

# A line that heads the lines below it with their period: "For the week:", "On Friday:",
# "Year to date:" (AP's "How major US stock indexes fared" tables, Data Talk briefs). Short, ends
# in a colon, and holds a time expression.
HEADING_CHARS = 40
# A heading reaches down through a table of short lines; a line longer than this (a paragraph of
# prose) ends its reach. AP's table lines run 40-70 characters, wire paragraphs 150 and more.
TABLE_LINE_CHARS = 100
# Time phrases the rules do not resolve ("over six months", "since its IPO", "from a week ago",
# "in a day", "over the five days"): a sentence holding one does not state the default period,
# so a claim read with the default is a guess (basis "unresolved").
UNRESOLVED = re.compile(
    r"\b(?:(?:over|in|during|for|from|within)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:(?:past|last|prior|previous|first|next|recent)\s+)?"
    r"(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few"
    r"|one-year|two-year|three-year|five-year|ten-year)\s+)?"
    r"(?:days?|weeks?|months?|years?|quarters?|sessions?|span|period|decades?)\b"
    r"(?!\s+(?:lows?|highs?)\b)"
    r"|(?<!high )(?<!low )(?<!level )(?<!highest )(?<!lowest )(?<!gain )(?<!decline )"
    r"(?<!drop )(?<!loss )(?<!rally )(?<!jump )\bsince\b|\bago\b"
    r"|year-?(?:over|on)-?year|month-?(?:over|on)-?month|\byoy\b|\bqoq\b"
    r"|(?:a|the)\s+year\s+(?:earlier|before)|to\s+date\b|record\s+close"
    r"|\b(?:on|following|after|upon)\s+(?:this|that|these|those)\s+"
    r"(?:news|announcement|disclosure|report|revelations?)\b"
    r"|\b(?:first|opening) day of trading\b|\bdebut\b)",
    re.IGNORECASE,
)
# A move told as the market's answer to news dated earlier in the story.
NEWS_REF = re.compile(
    r"\b(?:on|following|after|upon|in (?:reaction|response) to) (?:this|the|these|that|such) "
    r"(?:news|announcements?|disclosures?|revelations?)\b",
    re.IGNORECASE,
)
# A move "to end at" a level is the day's: it inherits no period from the sentence before.
CLOSING = re.compile(r"\bto (?:end|close|finish|settle) (?:at|the day)\b", re.IGNORECASE)
# "since" as a period ("up 34% since the election on Nov. 5"), not in a record ("its highest
# since October 30"): when the sentence has one but the period chosen is some other date's, the
# date is the event's, and the period a guess.
SINCE = re.compile(
    r"(?<!high )(?<!low )(?<!level )(?<!highest )(?<!lowest )(?<!close )(?<!gain )"
    r"(?<!decline )(?<!drop )(?<!loss )(?<!rally )(?<!jump )(?<!increase )(?<!decrease )\bsince\b",
    re.IGNORECASE,
)
# Words before "since" that make "since X" a record ("the highest level since October 30").
RECORD = re.compile(
    r"\b(?:high|low|level|highest|lowest|best|worst|biggest|largest|close|gain|gains|decline"
    r"|drop|loss|rally|jump|increase|decrease|run|streak)\s+$",
    re.IGNORECASE,
)
# Sentences shorter than this (tokens) are splitting accidents ("e.l.f." ended by its period).
FRAGMENT = 4
# Periods a sentence without its own may take from the sentence before ("... fell 11% this week.
# Oracle declined 9%"); quarters and forecasts there are nearly always about earnings or targets.
INHERITED = frozenset({"day", "week", "mtd", "month", "ytd", "year", "past", "sessions", "since"})


def _clause(token: Token) -> Token:
    """The verb heading the clause a token sits in (the root when there is none)."""
    while token.head.i != token.i:
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return token
        token = token.head
    return token


def _distance(a: Span, b: Span) -> int:
    return max(b.start - a.end, a.start - b.end, 0)


def _governs(figure: Span, span: Span) -> bool:
    """Whether a time expression can govern the figure: it sits in the figure's clause or one above
    it ("On Tuesday, X rose 3%"), not in a clause below ("..., erasing two days of losses")."""
    head, clause = _clause(span.root), _clause(figure.root)
    return head.i == clause.i or head.is_ancestor(clause)


def _nearest(figure: Span, spans: list[Span]) -> Span | None:
    """The span governing ``figure``: in its own clause first, then the nearest."""
    spans = [s for s in spans if _governs(figure, s)]
    if not spans:
        return None
    clause = _clause(figure.root)

    def rank(span: Span) -> tuple[bool, bool, int]:
        own_clause = _clause(span.root).i == clause.i
        return not own_clause, _follows_other(span, figure), _distance(figure, span)

    return min(spans, key=rank)


def _follows_other(span: Span, figure: Span) -> bool:
    """Whether a time phrase comes right after another move's number, whose period it is: "down 6%
    this year, nearly 20% in the past 12 months", "up 3.4% over the past month but 18% lower over
    the past three months"."""
    i = span.start - 1
    while i >= 0 and span.doc[i].pos_ in ("ADP", "DET"):
        i -= 1
    return i >= 0 and not figure.start <= i < figure.end and _is_move_unit(span.doc[i])


def _is_move_unit(token: Token) -> bool:
    """The "%" or "points" of a move's number ("6 %")."""
    number = token.nbor(-1) if token.i > 0 else None
    return number is not None and number.like_num and _is_move_number(number)


def _is_dated(span: Span) -> bool:
    return span._.period is not None and span._.period.label not in (*SESSION_ONLY, "as_of")


def _context(figure: Span, spans: list[Span]) -> Span | None:
    """The expression a sentence without its own inherits: from the line introducing a list
    ("... performing YTD through mid-day Friday" above "- Brazil ETF (EWZ): +13%"), or the one that
    governs the first figure of the previous sentence in the same paragraph."""
    doc, sent = figure.doc, figure.sent
    text = text_of(doc)
    line_start = text.rfind("\n", 0, figure.start_char) + 1
    if text[line_start:].lstrip().startswith(LIST_MARKS):
        return _list_intro(figure, spans, line_start)
    if sent.start == 0 or text[sent.start_char : line_start].strip():
        return None
    prev = doc[sent.start - 1].sent
    while len(prev) < FRAGMENT and prev.start > 0:  # "e.l.f." split off as a sentence of its own
        prev = doc[prev.start - 1].sent
    gap = text[prev.start_char + len(prev.text.rstrip()) : sent.start_char + _indent(sent.text)]
    if "\n" in gap:
        return None
    first = prev.start_char + prev.text.rstrip().rfind("\n") + 1
    dated = [s for s in spans if s.start_char >= first and s.end <= prev.end and _is_dated(s)]
    moves = [t for t in prev if t.idx >= first and t.like_num and _is_move_number(t)]
    chosen = _nearest(doc[moves[0].i : moves[0].i + 1], dated) if moves else None
    return chosen if chosen is not None and chosen._.period.label in INHERITED else None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _is_move_number(token: Token) -> bool:
    """A number stated as a percentage or in points: what a move is measured in."""
    following = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
    return following in ("%", "percent", "points", "point")


def _list_intro(figure: Span, spans: list[Span], line_start: int) -> Span | None:
    """The first dated expression on the line above a list (skipping the list's own lines)."""
    text = text_of(figure.doc)
    end = line_start
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1
        line = text[start : end - 1].strip()
        if line and not line.startswith(LIST_MARKS):
            return next((s for s in spans if start <= s.start_char < end and _is_dated(s)), None)
        end = start
    return None


def _paragraph_clock(figure: Span, spans: list[Span]) -> Span | None:
    """The last clock time ("1510 ET - ...") earlier in the figure's paragraph."""
    text = text_of(figure.doc)
    para = text.rfind("\n", 0, figure.start_char) + 1
    clocks = [s for s in spans if s._.period.label == "clock" and para <= s.start_char]
    earlier = [s for s in clocks if s.end_char <= figure.start_char]
    return earlier[-1] if earlier else None


@dataclass(frozen=True, slots=True)
class Placement:
    """The period a figure's move is read over, and how its period and session were decided."""

    period: Period
    basis: PeriodBasis
    session_basis: SessionBasis


def period_for(figure: Span, *, level: bool, forecast: bool = False) -> Placement:
    """The period of the move (or, with ``level``, the date of the level) that ``figure`` states."""
    doc = figure.doc
    spans: list[Span] = list(doc.spans[PERIODS]) if PERIODS in doc.spans else []
    default: Period = doc.user_data.get(DEFAULT_KEY) or Period(None, None, label="default")
    own = [s for s in _own(figure, spans) if not _record(s)]
    # A "..., when it fell 5%" date governs the figures after it, and only those.
    # The parser may start a sentence at "when": the date then ends inside the figure's sentence.
    anchored = [
        s
        for s in spans
        if s._.period.label == "when"
        and (s in own or s.end_char > figure.sent.start_char)
        and s.end_char <= figure.start_char
    ]
    own = [s for s in own if s._.period.label != "when"]
    chosen = anchored[-1] if anchored else _nearest(figure, [s for s in own if _is_dated(s)])
    basis: PeriodBasis = "sentence"
    if chosen is not None and _event_duration(figure, chosen):
        chosen, own = None, [s for s in own if s is not chosen]
    unresolved = UNRESOLVED.search(_own_text(figure)) is not None
    closing = CLOSING.search(_own_text(figure)) is not None
    if (
        chosen is not None
        and chosen._.period.label not in ("since", "when")
        and SINCE.search(_own_text(figure))
    ):
        basis = "unresolved"  # "up 34% since the election on Nov. 5": Nov. 5 is no period
    news = None if chosen or closing or any(map(_is_dated, own)) else _news_day(figure, spans)
    if news is not None:  # "On this news, the stock fell 17%": the day of the news told before
        chosen, basis, unresolved = news, "event", False
    if chosen is None and not any(_is_dated(s) for s in own) and not unresolved and not closing:
        # A sentence with a time phrase of its own that the rules do not resolve inherits
        # nothing: "It has risen 60% over the five days" is not the sentence before's day.
        chosen, basis = _context(figure, spans), "story"
        if chosen is None:
            chosen, basis = _heading(figure, spans), "heading"
        elif text_of(doc)[_line_start(figure) :].lstrip().startswith(LIST_MARKS):
            basis = "heading"
    period: Period = chosen._.period if chosen is not None else default
    if period.label == "from" and chosen is not None and chosen.start <= figure.start < chosen.end:
        period = Period(None, period.start, label="from")  # "from its high of $28.16 on Oct. 9"
    if forecast and period.label not in ("forecast", "when"):
        period = doc.user_data.get(FORECAST_KEY) or period
    elif chosen is None:
        period = _as_of(own, default)
        basis = "sentence" if period is not default else doc.user_data[DEFAULT_BASIS_KEY]
        if unresolved:
            basis = "unresolved"
    explicit = chosen if chosen is not None and chosen.sent.start == figure.sent.start else None
    session, session_basis = _session(figure, explicit, spans, period, default)
    at: datetime | None = doc._.published_at
    premarket: Period | None = doc.user_data.get(PREMARKET_KEY)
    if session == "premarket" and chosen is None and premarket is not None:
        period = Period(premarket.start, premarket.end, session, period.label)
    if session is None and at is not None and period.end == at.date():
        # The session the period ends in had not closed when the piece was written.
        session = clock_session(at.hour, at.minute)
        stated = doc.user_data.get(DATA_CLOCK_KEY, False)
        session_basis = ("lead" if stated else "clock") if session else session_basis
    start = None if level else period.start
    return Placement(Period(start, period.end, session, period.label), basis, session_basis)


def _news_day(figure: Span, spans: list[Span]) -> Span | None:
    """The day of the news a move answers: "On October 30, 2024, X announced ... On this news, the
    price of X common stock fell more than 17%" (securities class-action notices), "Then, on
    August 3, 2023, X disclosed ... Following this news, ...". The last "on <date>" earlier in the
    figure's paragraph or the one before it; the market may have answered the next session
    (news after the close), which checker/readings.py tries as the other reading."""
    if NEWS_REF.search(figure.sent.text) is None:
        return None
    text = text_of(figure.doc)
    para = text.rfind("\n", 0, figure.sent.start_char)
    before = text.rfind("\n", 0, max(text[:para].rstrip().rfind("\n"), 0) + 1) if para > 0 else 0
    days = [
        s
        for s in spans
        if max(before, 0) <= s.start_char
        and s.end_char <= figure.sent.start_char
        and s._.period.label == "day"
        and text[max(0, s.start_char - 3) : s.start_char].lower() == "on "
    ]
    return days[-1] if days else None


def _event_duration(figure: Span, span: Span) -> bool:
    """ "Shares plummeted 17% in a day": "in N units" told in the simple past is how long some
    past move took, not the span to now ("The index has rallied 12% in a month")."""
    if span._.period.label not in ("past", "sessions") or not span.text.lower().startswith("in "):
        return False
    verb = _clause(figure.root)
    perfect = any(
        c.dep_ == "aux" and c.lower_ in ("has", "have", "'s", "'ve") for c in verb.children
    )
    return verb.tag_ == "VBD" and not perfect


def _record(span: Span) -> bool:
    """A "since" that dates a record ("its highest level since October 30"), not a period."""
    if span._.period.label != "since":
        return False
    text = text_of(span.doc)
    return RECORD.search(text[max(0, span.start_char - 30) : span.start_char]) is not None


def _line_start(figure: Span) -> int:
    return text_of(figure.doc).rfind("\n", 0, figure.start_char) + 1


def _heading(figure: Span, spans: list[Span]) -> Span | None:
    """The period of the nearest heading line above ("For the week:"), if one governs the figure.

    A heading governs the lines below it up to the next heading; a line with a period of its own
    does not end its reach (the table's lines state none).
    """
    dated = [s for s in spans if s.end_char <= figure.start_char and _is_dated(s)]
    text = text_of(figure.doc)
    for span in reversed(dated):
        start = text.rfind("\n", 0, span.start_char) + 1
        end = text.find("\n", span.end_char)
        line = text[start : end if end >= 0 else len(text)].strip()
        if len(line) <= HEADING_CHARS and line.endswith(":"):
            stop = text.find("\n", figure.end_char)
            below = text[end : stop if stop >= 0 else len(text)]
            table = all(len(x.strip()) <= TABLE_LINE_CHARS for x in below.split("\n"))
            return span if table else None
    return None


def _own_text(figure: Span) -> str:
    """The text of the figure's sentence, cut to its line."""
    sent, text = figure.sent, text_of(figure.doc)
    first = max(sent.start_char, _line_start(figure))
    last = text.find("\n", figure.end_char)
    last = sent.end_char if last < 0 else min(last, sent.end_char)
    return text[first:last]


def _own(figure: Span, spans: list[Span]) -> list[Span]:
    """The spans in the figure's sentence and on its line (list items parse as one sentence)."""
    sent, text = figure.sent, text_of(figure.doc)
    first = max(sent.start_char, text.rfind("\n", 0, figure.start_char) + 1)
    last = text.find("\n", figure.end_char)
    last = sent.end_char if last < 0 else min(last, sent.end_char)
    return [s for s in spans if first <= s.start_char and s.end_char <= last]


def _as_of(own: list[Span], default: Period) -> Period:
    """The default move, ending on the sentence's as-of date when it states one."""
    as_of = next((s._.period.end for s in own if s._.period.label == "as_of"), None)
    if as_of is None or as_of == default.end:
        return default
    return Period(None, as_of, None, "as_of")


def _session(
    figure: Span, chosen: Span | None, spans: list[Span], period: Period, default: Period
) -> tuple[Session | None, SessionBasis]:
    """The sentence's session cue, else the period's own, else the paragraph clock or the lead's."""
    own = _own(figure, spans)
    cues = [s for s in own if s._.period.session is not None]
    cue = _nearest(figure, cues)
    if cue is not None and (
        chosen is None or _clause(cue.root).i in (_clause(chosen.root).i, _clause(figure.root).i)
    ):
        found: Session | None = cue._.period.session
        return found, "sentence"
    if period.session is not None:
        return period.session, "sentence"
    if period.end is None or period.end != default.end or period.label in ("as_of", "forecast"):
        return None, "default"
    clock = _paragraph_clock(figure, spans)
    if clock is not None:
        clocked: Session | None = clock._.period.session
        return clocked, "paragraph"
    doc_session: Session | None = figure.doc._.session
    if doc_session is None:
        return None, "default"
    basis: SessionBasis = figure.doc.user_data.get(SESSION_BASIS_KEY, "lead")
    return doc_session, basis
