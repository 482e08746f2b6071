"""The rule table of time expressions: which phrases are dates, and of what kind.

``RULES`` pairs each regex with a rule kind ("ytd", "since", "weekday", ...), in priority order
(earlier rules win where matches overlap); the month, weekday and number-word tables and the small
readers of matched text live here with it. Nothing here knows a calendar: ``extractor.dates`` does
the trading-day arithmetic, ``extractor.timex_resolvers`` resolves each kind to trading days (its
``RESOLVERS``), and ``extractor.timex_resolve`` compiles the table and finds the expressions in a
text. This module imports none of them.
"""

from __future__ import annotations

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
}

MONTH = (
    r"(?P<mon>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?"
    r"|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
DATE = MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
WEEKDAY = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
COUNT = r"(?P<n>\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
UNIT = r"(?P<unit>days?|sessions?|weeks?|months?|years?)"
# Words that make a quarter an earnings period ("fiscal first quarter", "Q4 results"), not a move's.
_EARNINGS = (
    r"results|earnings|revenue|sales|profit|report|guidance|loss|eps|gdp|growth|deliveries"
    r"|estimates?|outlook|forecast|call|numbers"
)


def opt_int(groups: dict[str, str | None], name: str) -> int | None:
    """A matched group as an int, None when the group did not take part."""
    text = groups.get(name)
    return int(text) if text else None


def count_value(text: str) -> int:
    """A matched ``COUNT``: digits or a number word ("a", "three")."""
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]


def month_number(text: str) -> int:
    """A matched month name or abbreviation -> 1..12."""
    return _MONTHS[text.lower()[:3]]


def weekday_number(text: str) -> int:
    """A matched ``WEEKDAY`` -> 0 (Monday) .. 6."""
    return _WEEKDAYS.index(text.lower())


def hour_24(hour: int, ampm: str) -> int:
    """A matched 12-hour clock's hour on the 24-hour clock ("1" with "p.m." -> 13)."""
    return hour + 12 if ampm.lower().startswith("p") and hour < 12 else hour


def ordinal_value(text: str) -> int:
    """A matched quarter ordinal ("first", "3rd") -> 1..4."""
    return _ORDINALS[text.lower()]


_INTRADAY = (
    r"in (?:early|late|morning|afternoon|midday|mid-day|late-morning|early-afternoon|"
    r"late-afternoon) (?:trading|action|trade|dealings)|mid-?day|in the (?:morning|afternoon)"
    r"|currently trading|(?:were|was|are|is) trading (?:higher|lower|up|down)"
    r"|so far (?:today|in the session)"
)
# Cues that place one move inside the session but say nothing of when the piece was written.
_INTRADAY_LOCAL = (
    r"intraday|earlier in the (?:day|session)|at one point|as (?:much|high|low) as"
    r"|at (?:its|the) (?:session|intraday|day's) (?:high|low)"
)
_OF_YEAR = r"(?:\s+of\s+(?P<year>(?:19|20)\d\d))?"
# (regex, rule kind); ``timex_resolvers.RESOLVERS`` maps every kind to its resolver.
RULES: tuple[tuple[str, str], ...] = (
    # A move measured from a past level to now: "Down 60.14% from its all-time closing high of
    # $28.16 on Oct. 9, 2020", "Up 4.94% from the Election Day close of 5782.76 on Tuesday, Nov. 5,
    # 2024", "Up 1.22% from 52 weeks ago (Feb. 9, 2024), when ..." (Data Talk's record lines).
    (
        r"\bfrom\s+(?:its|the)\s+[\w&' -]{0,40}?\b(?:high|low|close|level|value)\s+of\s+\$?\d[\d,]*"
        rf"(?:\.\d+)?\s+(?:(?:hit|set|reached)\s+)?(?:on\s+)?(?:{WEEKDAY},?\s+)?{DATE}",
        "from",
    ),
    (rf"\bfrom\s+(?:{COUNT}\s+(?:weeks|months|years)|a\s+year)\s+ago\s+\((?={DATE})", "from"),
    # A date that a "when" clause hangs on dates that clause's move ("its largest drop since
    # Aug. 1, 2024, when it fell 11.53%"; "the two days ending Feb. 17, 2023, when it fell 14.51%";
    # "52 weeks ago (Feb. 9, 2024), when it closed at $11.09"): Dow Jones' Data Talk briefs.
    (
        rf"(?:\b(?:the\s+)?{COUNT}[- ](?:trading[- ])?(?:days?|sessions?)\s+ending\s+)?"
        rf"\b{DATE}\)?,\s+when\b",
        "when",
    ),
    (
        r"\b(?:as of|as at|through|thru|until)\s+(?:(?P<mid>mid-?day|the close(?: of| on)?)\s+)?"
        rf"(?:{WEEKDAY}\b|{DATE})",
        "as_of",
    ),
    (r"^(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d) ET\b", "clock"),
    (
        r"\b(?P<h>1[0-2]|0?\d)(?::(?P<m>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)\s*(?:ET|EST|EDT)?",
        "clock",
    ),
    (r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\s*(?:ET|EST|EDT)\b", "clock"),
    (r"\bpre-?market\b|\bbefore the (?:opening )?bell\b|\bbefore the open\b", "premarket"),
    (
        r"\bafter[- ]hours?\b|\bextended(?:[- ]hours)?[- ](?:trading|session)\b|\bpost-?market\b"
        r"|\bafter the (?:closing )?bell\b|\blate trading\b|\bafter-?market (?:trade|trading)\b",
        "afterhours",
    ),
    (rf"\b(?:{_INTRADAY})\b", "intraday"),
    (rf"\b(?:{_INTRADAY_LOCAL})\b", "intraday_local"),
    (
        r"\b(?:by|before|through)\s+(?:the\s+)?(?:end(?:\s+of|-)\s*|year-?end\s+)?"
        r"(?P<year>20\d\d)\b|\bby\s+(?:the\s+)?(?:end\s+of\s+(?:the|this|(?P<next>next))\s+year"
        r"|year-?end|year's end)",
        "by_year",
    ),
    (
        r"\b(?:in|over|within) (?:the next )?(?:12|twelve) months\b|\bover the next year\b"
        r"|\b(?:a|one)[- ]year (?:price )?target\b|\b12-month (?:price )?target\b",
        "year_ahead",
    ),
    (
        r"\b(?:so far (?:this|in (?:the|20\d\d)) year|so far in 20\d\d|year[- ]to[- ]date|ytd"
        r"|(?:since|from) the (?:start|beginning) of (?:the|this) year|this year|for the year"
        r"|since jan(?:uary|\.)? 1(?:st)?)\b",
        "this_year",
    ),
    (
        r"\b(?:month[- ]to[- ]date|so far this month|this month|for the month|on the month)\b",
        "this_month",
    ),
    (r"\b(?:last|previous|prior) month\b", "last_month"),
    (r"\b(?:last|previous|prior) week\b", "last_week"),
    (
        r"\b(?:this week|for the week|on the week|week[- ]to[- ]date|so far this week)\b"
        r"|\b(?:a|its|the|this)\s+(?:(?:rough|tough|strong|weak|volatile|busy|big|good|bad|great"
        r"|brutal|winning|losing|worst|best|holiday-shortened|shortened|shorter)\s+)week\b",
        "this_week",
    ),
    (rf"\b(?:the\s+)?(?P<prior>prior|previous|preceding)\s+{COUNT}?\s*{UNIT}\b", "past_units"),
    (
        rf"\b(?:the\s+)?(?:past|last|trailing)\s+{COUNT}?\s*(?:trading\s+)?{UNIT}\b(?<!last year)",
        "past_units",
    ),
    # A streak: "Currently down two consecutive days; down 10.06% over this period".
    (
        rf"\b(?:up|down|higher|lower)\s+(?:for\s+)?{COUNT}\s+(?:consecutive|straight)\s+"
        rf"(?:trading\s+)?(?P<unit>days|sessions)\b",
        "past_units",
    ),
    (rf"\bin\s+{COUNT}\s+{UNIT}\b", "past_units"),
    # "over five years", "over a one-year span", "over the past one-year period"
    (rf"\bover\s+{COUNT}\s+{UNIT}\b", "past_units"),
    (
        r"\bover\s+(?:a|the\s+(?:past|last))\s+(?P<n>one|two|three|five|ten|\d{1,2})-"
        r"(?P<unit>year|month|week|day)\s+(?:span|period|stretch|stint)\b",
        "past_units",
    ),
    (r"\b(?:a|one) year (?:ago|earlier)\b", "year_ago"),
    (r"\blast year\b|\b(?:the )?(?:previous|prior) year\b", "last_year"),
    (
        rf"\bsince\s+(?:the\s+)?(?:(?:start|beginning) of\s+)?(?:{DATE}|{WEEKDAY}\b"
        r"|(?P<yr>(?:19|20)\d\d)\b|(?P<mon2>january|february|march|april|june|july|august"
        r"|september|october|november|december)\b)",
        "since",
    ),
    (
        rf"(?<!fiscal )(?<!fiscal-)\b(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter"
        rf"{_OF_YEAR}\b(?!\s+(?:{_EARNINGS}))|\bQ(?P<q>[1-4])\b(?!\s+(?:{_EARNINGS}))",
        "quarter",
    ),
    (r"\b(?:in|during|for|throughout|of|over)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*-)", "in_year"),
    (
        r"\b(?:(?:in|during|for|throughout|of)\s+)(?P<mon>january|february|march|april|may|june"
        r"|july|august|september|october|november|december)\b(?:\s+(?P<year>(?:19|20)\d\d))?"
        r"(?!\s+\d)|\b(?P<mon3>january|february|march|april|june|july|august|september|october"
        r"|november|december)(?=\s+(?:was|has been|saw|marked|ended)\b)",
        "in_month",
    ),
    (rf"\b(?:(?P<edge>early|late)\s+)?(?:on\s+|last\s+)?{WEEKDAY}(?:'s)?\b(?!\.\w)", "weekday"),
    (rf"\b{DATE}", "date"),
    (r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", "iso"),
    (r"\b(?:today|today's|on the day|on the session|the day's|for the day|tonight)\b", "today"),
    (r"\byesterday(?:'s)?\b", "yesterday"),
)
