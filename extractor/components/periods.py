"""The newsclaims_periods component: time expressions -> trading-day periods.

The component writes one PERIODS span per time expression (``span._.period`` a ``dates.Period``),
``doc._.session`` when the lead of the piece was plainly written during (or outside) the session,
and the article's defaults in ``doc.user_data``: the one-session move the article reports (its lead
day, an as-of date, or the published date) and the horizon of an undated forecast (a year ahead).
``placement.period_for(figure)`` reads the spans and defaults back for one figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from operator import attrgetter
from zoneinfo import ZoneInfo

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.vocab import Vocab

from extractor.dates import (
    EXCHANGE_TIME,
    SESSION_ONLY,
    Period,
    TradingCalendar,
    WeekdayCalendar,
    clock_session,
    default_period,
    shift,
)
from extractor.extensions import PERIODS, text_of
from extractor.timex import hour_24
from extractor.timex_resolve import Mention, find_periods
from extractor.types import PeriodBasis, Session, SessionBasis

FACTORY = "newsclaims_periods"
ASIA_TIME = ZoneInfo("Asia/Tokyo")  # the first markets to open on a calendar day
ASIA_OPEN_HOUR = 9  # Tokyo's open, local time
DEFAULT_KEY = f"{FACTORY}.default"  # doc.user_data keys
FORECAST_KEY = f"{FACTORY}.forecast"
DEFAULT_BASIS_KEY = f"{FACTORY}.default_basis"
DATA_CLOCK_KEY = f"{FACTORY}.data_clock"  # the text dates its data within today's session
# "All data as of 9:48:25 AM ET" (Data Talk): the piece states when its numbers were taken, so a
# move it reports is that moment's, not possibly the close's (which a published time alone allows).
DATA_AS_OF = re.compile(
    r"\bdata (?:is |are )?as of (?P<h>1[0-2]|0?\d):(?P<m>[0-5]\d)(?::[0-5]\d)?\s*"
    r"(?P<ampm>[ap])\.?m\.?\s*(?:ET|EST|EDT)\b",
    re.IGNORECASE,
)
LATEST_KEY = f"{FACTORY}.latest"  # Asia's date at the published time (``dates.Resolver.latest``)
PREMARKET_KEY = f"{FACTORY}.premarket"  # today's session, for moves placed before its open
SESSION_BASIS_KEY = f"{FACTORY}.session_basis"
# Characters at the top of the piece searched for its lead day ("closed higher on Thursday"), an
# as-of date or a session cue. Swept 300-2000 on corpus/dev (period_for against the gold claims):
# dates are unchanged; session agreement is 0.915 at 300, 0.951 at 500 and 0.968 from 800 on, the
# smallest value that reaches a cue below a byline, a subtitle and a key-points list.
LEAD_CHARS = 800
# How many calendar days before the published date a lead's day may lie and still be the day the
# piece reports: a week's recap on a Sunday names the Monday six days back; Data Talk briefs name
# dates years back in their first lines ("largest decrease since Feb. 16, 2023"), which are no lead.
LEAD_DAYS = 7
# Labels that may set the article's default period, in order of preference.
LEAD_LABELS = ("day", "week", "as_of")
# A week that opens the text ("A rough week for tech stocks ...") within this many characters sets
# the default on a weekday too: about one opening sentence (not tuned; corpus/dev's one week lead
# starts at character 2, and "fall modestly for the week" at 400+ must not count).
FIRST_SENTENCE = 120
# Cues that say when the whole piece was written; "earlier in the day" and the like only place
# their own sentence's move (label "session_local").
LEAD_SESSION_LABELS = ("session", "clock")


class PeriodFinder:
    """Writes the PERIODS span group, ``doc._.session`` and the article defaults."""

    def __init__(self, vocab: Vocab, *, spans_key: str) -> None:
        self.vocab = vocab
        self.spans_key = spans_key
        self.calendar: TradingCalendar = WeekdayCalendar()  # initialize() gives NYSE's

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language,
        calendar: TradingCalendar,
    ) -> None:
        """spaCy's hook for a component's data: the exchange calendar periods resolve against."""
        self.calendar = calendar

    def __call__(self, doc: Doc) -> Doc:
        published: date | None = doc._.published
        at: datetime | None = doc._.published_at
        latest = asia_date(at)
        doc.user_data[LATEST_KEY] = latest
        first = self._find(text_of(doc), published, published, latest)
        default, from_lead = self._lead_default(first, published, latest)
        if from_lead and at is not None and default.end == at.date():
            # "Futures point higher on Friday" at 3:29 a.m.: today's session has not begun, so the
            # lead names no move yet, and the moves reported are the last session's.
            from_lead = clock_session(at.hour, at.minute) != "premarket"
            default = default if from_lead else default_period(self.calendar, published)
        basis: PeriodBasis = "story" if from_lead else "published" if published else "default"
        clock: Session | None = None
        if at is not None and not from_lead:
            default, basis = self._clock_default(at)
        if at is not None and default.end == at.date():
            clock = clock_session(at.hour, at.minute)
        doc.user_data[DEFAULT_KEY] = default
        doc.user_data[DEFAULT_BASIS_KEY] = basis
        doc.user_data[FORECAST_KEY] = self._forecast_default(default, published)
        anchor = default.end
        if at is not None and clock_session(at.hour, at.minute) == "premarket":
            # Before the open, "this year" and "the last 12 months" run to the last close, and a
            # move placed in the premarket is today's.
            today = at.date()
            anchor = self.calendar.previous_session(today)
            if self.calendar.session_on_or_before(today) == today:
                doc.user_data[PREMARKET_KEY] = default_period(self.calendar, today)
        mentions = first
        if anchor != published:
            mentions = self._find(text_of(doc), published, anchor, latest)
        spans: list[Span] = []
        for mention in self._as_of_sentences(doc, mentions, (published, anchor, latest)):
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                span._.period = mention.period
                spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.session = lead_session(doc, first)
        doc.user_data[SESSION_BASIS_KEY] = "lead"
        doc.user_data[DATA_CLOCK_KEY] = clock == "intraday" and _data_as_of(text_of(doc))
        if doc._.session is None and clock == "intraday":
            stated: SessionBasis = "lead" if doc.user_data[DATA_CLOCK_KEY] else "clock"
            doc._.session, doc.user_data[SESSION_BASIS_KEY] = clock, stated
        return doc

    def _clock_default(self, at: datetime) -> tuple[Period, PeriodBasis]:
        """The session the published time points at: today's once it has opened, the last one
        on a weekend or holiday. Before the open the piece may report the last session or the
        premarket, so that reading is only a default."""
        day = at.date()
        if self.calendar.session_on_or_before(day) != day:
            return default_period(self.calendar, day), "clock"
        if clock_session(at.hour, at.minute) == "premarket":
            return default_period(self.calendar, self.calendar.previous_session(day)), "default"
        return default_period(self.calendar, day), "clock"

    def _find(
        self, text: str, published: date | None, anchor: date | None, latest: date | None
    ) -> list[Mention]:
        return find_periods(
            text, published=published, calendar=self.calendar, anchor=anchor, latest=latest
        )

    def _as_of_sentences(
        self,
        doc: Doc,
        mentions: list[Mention],
        dates: tuple[date | None, date | None, date | None],
    ) -> list[Mention]:
        """The mentions, with to-date periods in a sentence that states an as-of date ending there.

        Patterns run over the whole text (a sentence split must not cut "1240 ET" in two); only a
        sentence with its own as-of date is resolved again, anchored on that date.
        """
        published, anchor, latest = dates
        result = list(mentions)
        for as_of in [m for m in mentions if m.period.label == "as_of"]:
            if as_of.period.end == anchor:
                continue
            span = doc.char_span(as_of.start, as_of.end, alignment_mode="expand")
            if span is None:
                continue
            sent = span.sent
            first, last = sent.start_char, sent.end_char
            again = self._find(sent.text, published, as_of.period.end, latest)
            result = [m for m in result if not first <= m.start < last]
            result += [Mention(m.start + first, m.end + first, m.text, m.period) for m in again]
        return sorted(result, key=attrgetter("start"))

    def _lead_default(
        self, mentions: list[Mention], published: date | None, latest: date | None
    ) -> tuple[Period, bool]:
        """The lead's day ("stocks closed higher on Thursday") or week, else the published day;
        and whether the lead set it. A lead day may be Asia's date (``latest``)."""
        lead = [m.period for m in mentions if m.start < LEAD_CHARS and m.period.session is None]
        today = latest or published
        for label in LEAD_LABELS:
            for period in lead:
                if period.label != label or period.end is None:
                    continue
                if today is not None and not 0 <= (today - period.end).days <= LEAD_DAYS:
                    continue  # after the piece, or a narrative date ("since Feb. 16, 2023")
                if label == "week" and not _weekly(published, mentions, period):
                    continue
                if label == "as_of":
                    return default_period(self.calendar, period.end), True
                return Period(period.start, period.end, None, "default"), True
        return default_period(self.calendar, published), False

    def _forecast_default(self, default: Period, published: date | None) -> Period:
        """An undated forecast (a price target) looks a year ahead of the article."""
        base = published or default.end
        if base is None:
            return Period(None, None, label="forecast")
        end = self.calendar.session_on_or_before(shift(base, years=1))
        return Period(default.end, end, label="forecast")


def _data_as_of(text: str) -> bool:
    """Whether the text dates its data at a time inside the session ("All data as of 9:48 AM")."""
    match = DATA_AS_OF.search(text)
    if match is None:
        return False
    hour = hour_24(int(match["h"]), match["ampm"])
    return clock_session(hour, int(match["m"])) == "intraday"


def asia_date(at: datetime | None) -> date | None:
    """The date of the newest session open when the piece (naive New York time) was published:
    Tokyo's once its market has opened (09:00 there, 19:00 or 20:00 in New York), else New York's.
    """
    if at is None:
        return None
    tokyo = at.replace(tzinfo=EXCHANGE_TIME).astimezone(ASIA_TIME)
    return tokyo.date() if tokyo.hour >= ASIA_OPEN_HOUR else at.date()


def _weekly(published: date | None, mentions: list[Mention], week: Period) -> bool:
    """A week leads the piece when it is a weekend recap or the week opens the text."""
    if published is not None and published.weekday() >= 5:
        return True
    return bool(mentions) and mentions[0].period is week and mentions[0].start < FIRST_SENTENCE


def lead_session(doc: Doc, mentions: list[Mention]) -> Session | None:
    """The session the lead's first market move was written in ("At 10:30 EST, the Dow fell")."""
    for mention in mentions:
        if mention.start >= LEAD_CHARS:
            break
        period = mention.period
        dated_cue = period.label not in SESSION_ONLY and period.session is not None
        if period.label not in LEAD_SESSION_LABELS and not dated_cue:
            continue
        if period.label == "clock" and period.session == "premarket":
            continue  # "due out at 8:30 a.m. ET": a schedule, not when the piece was written
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not any(c in span.sent.text for c in "%$"):
            continue
        return period.session
    return None


@Language.factory(FACTORY, assigns=["doc.spans"], default_config={"spans_key": PERIODS})
def make_periods(nlp: Language, name: str, spans_key: str) -> PeriodFinder:
    return PeriodFinder(nlp.vocab, spans_key=spans_key)
