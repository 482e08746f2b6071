"""Other readings the text allows: a contradicted claim is a discrepancy only when none supports it.

A claim says a number; the linker chose one reading of when (and of what) it was said. Where that
reading was a guess (``Basis.certain`` is false: the period defaulted, or the sentence holds a time
phrase the extractor did not understand), or where a nearby reading that the text also allows
supports the number, the claim is ``unverifiable`` with reason ``ambiguous_reading`` and the
alternative goes into the evidence. The readings tried are few on purpose: each one is another
chance for a truly wrong number to pass (``bench/wild.py`` measures that as mutation recall).

- A one-session move not dated in its own sentence may be the session before (an article written
  the next morning) or, in a piece published at the end of the week, the week to date.
- A level not dated in its sentence may be the session before's.
- A move over many sessions in a piece written during the session may run to the last close.
- A one-session move answering news dated earlier in the story may fall on the next session (news
  after the close).
A period the sentence states ("this year", "on Tuesday") is taken at its word: no alternative.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from extractor.dates import TradingCalendar
from extractor.types import Claim

LEVELS = frozenset({"price_level", "target_level"})
# Period bases that no words of the article state (the lead's "on Thursday" does): other days fit.
UNDATED = frozenset({"clock", "published", "default", "unresolved"})
FRIDAY = 4


def alternatives(claim: Claim, calendar: TradingCalendar) -> list[tuple[str, Claim]]:
    """Named readings of a historical claim other than the one the linker chose."""
    if claim.end is None:
        return []
    end = calendar.session_on_or_before(claim.end)
    before = calendar.previous_session(end)
    if claim.metric in LEVELS:
        undated = claim.basis.period in UNDATED
        return [("previous_session", replace(claim, end=before))] if undated else []
    if claim.start is None:
        return []
    start = calendar.session_on_or_before(claim.start)
    one_session = start == before
    if not one_session and claim.session == "intraday" and claim.basis.session == "clock":
        # "up 3.7% in the last 12 months" written at 10:31: such tallies run to the last close.
        return [("to_last_close", replace(claim, end=before, session=None))]
    if one_session and claim.basis.period == "event":
        # News told with its date may have come after the close: the market answered next day.
        return [("next_session", replace(claim, start=end, end=next_session(end, calendar)))]
    if not one_session or claim.basis.period not in UNDATED:
        return []
    readings = [
        ("previous_session", replace(claim, start=calendar.previous_session(before), end=before))
    ]
    if end.weekday() == FRIDAY:
        week_start = calendar.previous_session(end - timedelta(days=end.weekday()))
        readings.append(("week_to_date", replace(claim, start=week_start, end=end)))
    return readings


def next_session(day: date, calendar: TradingCalendar) -> date:
    """The first trading day after ``day`` (a week of holidays at most)."""
    later = day + timedelta(days=1)
    while calendar.session_on_or_before(later) <= day and later - day < timedelta(days=10):
        later += timedelta(days=1)
    return calendar.session_on_or_before(later)
