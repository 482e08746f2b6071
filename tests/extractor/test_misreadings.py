"""Classes of misreading seen on wire copy (issue 9), each with sentences written for the test.

Every row names the class it stands for; the sentences are made up in the style of wire copy,
with figures chosen so that a wrong reading would be visible in the claim list.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from spacy.language import Language

from extractor import extract
from extractor.components.ticker_roles import shouted
from extractor.lexicon import Instrument

EVENING = datetime.fromisoformat("2025-02-12T17:00:00-05:00")  # Wednesday, after the close

# (class, text, expected claims as (subject, metric, value))
SUBJECTS = [
    (
        "each clause's numbers to its own subject",
        "The Dow lost 120.5 points, or 0.3%, the S&P 500 slipped 12.1 points and the Nasdaq "
        "Composite lost 80.25 points, or 0.4%, to 19,600.10.",
        [
            ("^DJI", "price_change", -120.5),
            ("^DJI", "price_return", -0.3),
            ("^GSPC", "price_change", -12.1),
            ("^IXIC", "price_change", -80.25),
            ("^IXIC", "price_return", -0.4),
            ("^IXIC", "price_level", 19600.1),
        ],
    ),
    ("futures are not the index", "Nasdaq 100 futures rose 0.6% in evening trade.", []),
    ("futures are not the index", "S&P 500 futures were down 0.3% on Sunday night.", []),
    ("a count of sectors is no level", "Nine of the 11 S&P 500 sectors closed lower.", []),
    ("a sector is not the index", "All 11 S&P 500 sectors fell, led by energy, down 2.2%.", []),
    ("MSCI's indexes are not MSCI Inc", "MSCI's world stocks gauge fell 0.8%.", []),
    ("MSCI's indexes are not MSCI Inc", "MSCI Latam stocks added 1.1%.", []),
    ("a foreign listing", "BP's shares rose 1.2% to 450 pence in London.", []),
    ("a foreign listing", "In Hong Kong, Alibaba shares jumped 4.4%.", []),
    ("a headline line", "Stocks Slip As Yields Climb 2%\n\nInvestors sold bonds.", []),
    ("the sector a stock moved", "Apple dragged the technology sector 1.2% lower.", []),
    ("revenue is no price", "Apple saw its revenue rise 4% from a year earlier.", []),
    ("a month is no ticker", "Shares have doubled since Nov. 5, when they closed lower.", []),
    (
        "a foreign market's report: its stocks move on that market",
        "Canada's main stock index fell on Tuesday.\n\nThe S&P/TSX composite index was down "
        "0.55% at 25,512.38.\n\nShopify fell 4% after a downbeat outlook.",
        [("^GSPTSE", "price_return", -0.55), ("^GSPTSE", "price_level", 25512.38)],
    ),
    (
        "a US report that names a foreign index later keeps its stocks",
        "The S&P 500 rose 0.5%. Apple rose 2%. In Tokyo, the Nikkei fell 1%.",
        [
            ("^GSPC", "price_return", 0.5),
            ("AAPL", "price_return", 2.0),
            ("^N225", "price_return", -1.0),
        ],
    ),
    (
        "a list line is about the one instrument its introducing line names (Data Talk)",
        "Apple, Inc. (AAPL) is currently at $227.63, up $2.10 or 0.93%\n\n"
        "- Up 1.2% month-to-date\n- Traded as high as $228.10\n"
        "- Up 2.2% from its 52-week closing low of $222.64 on Jan. 14, 2025",
        [
            ("AAPL", "price_level", 227.63),
            ("AAPL", "price_change", 2.1),
            ("AAPL", "price_return", 0.93),
            ("AAPL", "price_return", 1.2),
            ("AAPL", "price_level", 228.1),
            ("AAPL", "price_return", 2.2),
            ("AAPL", "price_level", 222.64),
        ],
    ),
    (
        "a list line naming another instrument ends the introducing line's reach",
        "Apple, Inc. (AAPL) is currently at $227.63\n\n"
        "- Best performer in the S&P 500 today\n- Up 3.3% year-to-date",
        [("AAPL", "price_level", 227.63)],
    ),
    (
        "a list under a line that names no instrument has no owner",
        "Key points:\n- Apple rose 2%\n- Up 3.3% year-to-date",
        [("AAPL", "price_return", 2.0)],
    ),
    (
        "a metric with a subject of its own under the verb",
        "Apple rose 2%. In the fourth quarter, Apple saw its revenue surge 44%, to $120 billion.",
        [("AAPL", "price_return", 2.0)],
    ),
    (
        "guidance for earnings is no price target",
        "Apple rose 2%. In 2025, Apple expects adjusted earnings of $7.15 to $7.25, below the "
        "$7.46 that analysts were looking for.",
        [("AAPL", "price_return", 2.0)],
    ),
    (
        "a sales forecast's midpoint is no move",
        "Apple rose 2%. The midpoint of Apple's sales forecast for a 2% to 4% gain was in line "
        "with expectations.",
        [("AAPL", "price_return", 2.0)],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), SUBJECTS)
def test_misreadings_subject_classes(
    nlp: Language, case: str, text: str, expected: list[tuple[str, str, float]]
) -> None:
    claims = extract(text, nlp=nlp, published=EVENING).claims
    assert [(c.subject, c.metric, c.value) for c in claims] == expected, case


# (class, text, published, expected (start, end, session, period basis, session basis))
READINGS = [
    (
        "a time phrase right after one move's number is that move's, not the next's",
        "Apple rose 2% on Monday. The stock is down 6% this year, nearly 20% in the past 12 "
        "months.",
        date(2025, 2, 10),
        ("2024-02-09", "2025-02-10", None, "sentence", "default"),
    ),
    (
        "each of two moves with its own trailing period",
        "Apple rose 2% on Monday. Its shares are up 3.4% over the past month but 18% lower over "
        "the past three months.",
        date(2025, 2, 10),
        ("2024-11-08", "2025-02-10", None, "sentence", "default"),
    ),
    (
        "a move answering news takes the day the story gave the news",
        "On November 11, 2024, a research firm reported that Nvidia cut its orders. The report "
        "cited two people familiar with the matter.\n\nOn this news, the price of Apple common "
        "stock fell nearly 15%.",
        date(2025, 2, 10),
        ("2024-11-08", "2024-11-11", None, "event", "default"),
    ),
    (
        "news without a date told before it stays unresolved",
        "Apple disclosed that regulators were probing it. On this news, Apple stock fell 5%.",
        date(2025, 2, 10),
        ("2025-02-07", "2025-02-10", None, "unresolved", "default"),
    ),
    (
        "a heading line sets the period of the table below it",
        "How the indexes fared.\n\nFor the week:\nThe S&P 500 rose 40.5 points, or 0.7%.",
        date(2025, 2, 14),
        ("2025-02-07", "2025-02-14", None, "heading", "default"),
    ),
    (
        "a published time inside the session makes the move intraday",
        "The Dow was up 0.4%.",
        datetime.fromisoformat("2025-02-12T11:26:00-05:00"),
        ("2025-02-11", "2025-02-12", "intraday", "clock", "clock"),
    ),
    (
        "before the open the last session is only a default",
        "The Dow rose 0.4%.",
        datetime.fromisoformat("2025-02-12T07:10:00-05:00"),
        ("2025-02-10", "2025-02-11", None, "default", "default"),
    ),
    (
        "on a weekend the published time points at Friday's session",
        "The Dow rose 0.4%.",
        datetime.fromisoformat("2025-02-09T10:00:00-05:00"),
        ("2025-02-06", "2025-02-07", None, "clock", "default"),
    ),
    (
        "a date alone is the published date",
        "The Dow rose 0.4%.",
        date(2025, 2, 12),
        ("2025-02-11", "2025-02-12", None, "published", "default"),
    ),
    (
        "a time phrase the rules do not resolve leaves the period a guess",
        "The Dow has risen 9% over the span.",
        EVENING,
        ("2025-02-11", "2025-02-12", None, "unresolved", "default"),
    ),
    (
        "an unresolved phrase inherits no period from the sentence before",
        "Apple rose 2% on Monday. The stock has risen 60% over the five days.",
        EVENING,
        ("2025-02-07", "2025-02-10", None, "unresolved", "default"),
    ),
    (
        "before the open, a year to date runs to the last close",
        "The S&P 500 is up 2.5% this year.",
        datetime.fromisoformat("2025-02-10T08:05:00-05:00"),
        ("2024-12-31", "2025-02-07", None, "sentence", "default"),
    ),
    (
        "before the open, a premarket move is today's",
        "Apple rose 1.5% in premarket trading.",
        datetime.fromisoformat("2025-02-10T08:05:00-05:00"),
        ("2025-02-07", "2025-02-10", "premarket", "default", "sentence"),
    ),
    (
        "a narrative date in the first lines is no lead",
        "Would be the largest drop since Feb. 16, 2023.\n\nApple fell 3%.",
        datetime.fromisoformat("2025-02-12T11:26:00-05:00"),
        ("2025-02-11", "2025-02-12", "intraday", "clock", "clock"),
    ),
    (
        "a date with a 'when' clause dates that clause's move (Data Talk records)",
        "Apple is on pace for its largest percent decrease since Aug. 5, 2024, when it fell 4.8%.",
        EVENING,
        ("2024-08-02", "2024-08-05", None, "sentence", "default"),
    ),
    (
        "'the N days ending' a date: the N sessions up to it",
        "Apple had its worst two day stretch since the two days ending Feb. 17, 2023, "
        "when it fell 14.51%.",
        EVENING,
        ("2023-02-15", "2023-02-17", None, "sentence", "default"),
    ),
    (
        "a 'when' level is the named day's",
        "Apple is up 20.1% from 52 weeks ago (Feb. 9, 2024), when it closed at $188.85.",
        EVENING,
        (None, "2024-02-09", None, "sentence", "default"),
    ),
    (
        "a move 'from its low of $X on DATE' runs from that day to now",
        "From its 52-week closing low of $222.64 on Jan. 14, 2025, Apple is up 2.2%.",
        EVENING,
        ("2025-01-14", "2025-02-12", None, "sentence", "default"),
    ),
    (
        "the level in 'from its low of $X on DATE' is that day's",
        "Apple is up 2.2% from its 52-week closing low of $222.64 on Jan. 14, 2025.",
        EVENING,
        (None, "2025-01-14", None, "sentence", "default"),
    ),
    (
        "a streak of N days is the N sessions to now",
        "Apple is up two consecutive days; up 2.5% over this period.",
        EVENING,
        ("2025-02-10", "2025-02-12", None, "sentence", "default"),
    ),
    (
        "'the past N trading sessions'",
        "Apple is up 2.5% across the past two trading sessions.",
        EVENING,
        ("2025-02-10", "2025-02-12", None, "sentence", "default"),
    ),
    (
        "after Tokyo's open, a weekday is Asia's: a US evening's 'on Thursday' is tomorrow's",
        "The Nikkei rose 1.2% on Thursday.",
        datetime.fromisoformat("2025-02-12T21:38:15-05:00"),
        ("2025-02-12", "2025-02-13", None, "sentence", "default"),
    ),
    (
        "before Tokyo's open, a weekday counts back from New York's date",
        "The Nikkei rose 1.2% on Thursday.",
        datetime.fromisoformat("2025-02-12T17:40:00-05:00"),
        ("2025-02-05", "2025-02-06", None, "sentence", "default"),
    ),
    (
        "'over a one-year span' is the year to now",
        "Intel shares are still down 43% over a one-year span.",
        EVENING,
        ("2024-02-12", "2025-02-12", None, "sentence", "default"),
    ),
    (
        "'over five years'",
        "Intel shares are down 63% over five years.",
        EVENING,
        ("2020-02-12", "2025-02-12", None, "sentence", "default"),
    ),
    (
        "a premarket lead's 'on Friday' is no completed session",
        "U.S. stock futures rose on Friday.\n\nAppLovin jumped 20% on its results.",
        datetime.fromisoformat("2025-02-14T03:29:18-05:00"),
        ("2025-02-12", "2025-02-13", None, "default", "default"),
    ),
    (
        "before New York's open, a foreign index's undated move is today's session",
        "Germany's DAX climbed 0.3%.",
        datetime.fromisoformat("2025-02-10T04:01:02-05:00"),
        ("2025-02-07", "2025-02-10", None, "clock", "default"),
    ),
    (
        "before New York's open, a US index's undated move is still the last session",
        "The S&P 500 climbed 0.3%.",
        datetime.fromisoformat("2025-02-10T04:01:02-05:00"),
        ("2025-02-06", "2025-02-07", None, "default", "default"),
    ),
    (
        "'in a day' told in the simple past is a past move's duration, not today",
        "Constellation Brands shares plummeted 17% in a day.",
        EVENING,
        ("2025-02-11", "2025-02-12", None, "unresolved", "default"),
    ),
    (
        "'in a month' in the present perfect runs to now",
        "The S&P 500 has rallied 12% in a month.",
        EVENING,
        ("2025-01-10", "2025-02-12", None, "sentence", "default"),
    ),
    (
        "'All data as of 9:48 AM ET' states the moment: the session is read, not inferred",
        "Apple is down 7.7% month-to-date.\n\nAll data as of 9:48:25 AM ET",
        datetime.fromisoformat("2025-02-12T09:51:00-05:00"),
        ("2025-01-31", "2025-02-12", "intraday", "sentence", "lead"),
    ),
    (
        "without a data clock, a published time inside the session only infers it",
        "Apple is down 7.7% month-to-date.",
        datetime.fromisoformat("2025-02-12T09:51:00-05:00"),
        ("2025-01-31", "2025-02-12", "intraday", "sentence", "clock"),
    ),
    (
        "a 'when' clause is history even after 'would be'",
        "Apple would see its lowest close since Jan. 14, 2025, when it closed at $233.28.",
        EVENING,
        (None, "2025-01-14", None, "sentence", "default"),
    ),
    (
        "'last week' on a weekend is the week just ended",
        "The Dow fell 0.5% last week.",
        datetime.fromisoformat("2025-02-09T18:30:00-05:00"),
        ("2025-01-31", "2025-02-07", None, "sentence", "default"),
    ),
]


@pytest.mark.parametrize(("case", "text", "published", "expected"), READINGS)
def test_misreadings_period_and_session_basis(
    nlp: Language, case: str, text: str, published: date, expected: tuple[object, ...]
) -> None:
    claim = extract(text, nlp=nlp, published=published).claims[-1]
    got = (
        claim.start.isoformat() if claim.start else None,
        claim.end.isoformat() if claim.end else None,
        claim.session,
        claim.basis.period,
        claim.basis.session,
    )
    assert got == expected, case


# (class, text, expected claims as (subject, subject basis))
REFERRING = [
    ("the one instrument before is the antecedent",
     "Apple rose 2% on Monday. The stock gained 9% on Tuesday.",
     [("AAPL", "sentence"), ("AAPL", "antecedent")]),
    ("a pronoun follows the last subject named",
     "Apple rose 2% on Monday. It gained 9% on Tuesday.",
     [("AAPL", "sentence"), ("AAPL", "antecedent")]),
    ("a pronoun after a subject that is no instrument is a guess",
     "Apple rose 2% on Monday. Inflation then picked up, and it was up 0.5% in January.",
     [("AAPL", "sentence"), ("AAPL", "previous")]),
    ("a chain of the same pronoun leads back to the instrument",
     "Apple rose 2% on Monday. It gained 9% on Tuesday. It added 3% on Wednesday.",
     [("AAPL", "sentence"), ("AAPL", "antecedent"), ("AAPL", "antecedent")]),
    ("a chain through a description leads back to the name",
     "Apple shares rose 2% on Monday. That put them near a record. The stock has had a wild "
     "year. It surged 49% in 2023.",
     [("AAPL", "sentence"), ("AAPL", "antecedent")]),
    ("a chain broken by a named subject is a guess",
     "Apple shares rose 2% on Monday. Analysts cheered. The stock has had a wild year. "
     "It surged 49% in 2023.",
     [("AAPL", "sentence"), ("AAPL", "previous")]),
    ("a chain broken by another subject is a guess",
     "Apple rose 2% on Monday. Inflation picked up in January. It gained 9% on Tuesday.",
     [("AAPL", "sentence"), ("AAPL", "previous")]),
    ("two instruments before: a guess",
     "Apple and Intel rose 2% on Monday. The stock gained 9% on Tuesday.",
     [("AAPL", "sentence"), ("INTC", "sentence"), ("INTC", "previous")]),
    ("an antecedent two sentences back is a guess",
     "Apple rose 2% on Monday. Its bank lender said more. The stock gained 9% on Tuesday.",
     [("AAPL", "sentence"), ("AAPL", "previous")]),
    ("a named index is no instrument of the story",
     "The Dow rose 1% on Monday. The producer price index rose 0.4% in January.",
     [("^DJI", "sentence")]),
    ("'the stock' is no index",
     "The Dow rose 1% on Monday. The stock has gained 325% since its IPO.",
     [("^DJI", "sentence")]),
    ("'the index' is no company", "Apple rose 2% on Monday. The index gained 0.4% on Tuesday.",
     [("AAPL", "sentence")]),
    ("another company's stock", "Apple rose 2% on Monday. Orora's stock fell 3.9% on Tuesday.",
     [("AAPL", "sentence")]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "expected"), REFERRING)
def test_misreadings_referring_subjects(
    nlp: Language, case: str, text: str, expected: list[tuple[str, str]]
) -> None:
    claims = extract(text, nlp=nlp, published=date(2025, 2, 12)).claims
    assert [(c.subject, c.basis.subject) for c in claims] == expected, case


# (class, text, expected ticker symbols)
LISTED = [
    ("the publisher is no index", "Apple rose 2%.\n\nDow Jones Newswires", ["AAPL"]),
    (
        "the publisher's company",
        "MarketWatch is operated by Dow Jones & Co. Apple rose 2%.",
        ["AAPL"],
    ),
    ("a market-data credit", "Apple rose 2%, according to Dow Jones Market Data.", ["AAPL"]),
    ("futures are no ticker", "Dow futures rose 0.3% and Apple rose 2%.", ["AAPL"]),
    ("the index is a ticker", "The Dow Jones Industrial Average rose 0.3%.", ["^DJI"]),
    ("an index family is no ticker", "MSCI's gauge of stocks across the globe rose 0.2%.", []),
    ("MSCI the company is", "MSCI shares rose 3% after its results.", ["MSCI"]),
    ("a data source is no ticker", "Analysts tracked by FactSet expect $1.05 a share.", []),
    ("a consensus source is no ticker", "Apple beat the FactSet consensus.", ["AAPL"]),
    ("the index by its short name", "The Dow rose 0.3% and Apple rose 2%.", ["^DJI", "AAPL"]),
    (
        "an economist's bank, title words in any order",
        "Morgan Stanley chief U.S. economist Ellen Zentner said rates would stay. Apple rose 2%.",
        ["AAPL"],
    ),
    (
        "an analyst's bank on an earnings call",
        "Apple rose 2%. On the call, Erik Woodring, Morgan Stanley, asked about margins.",
        ["AAPL"],
    ),
    (
        "a bank holding a rating",
        "Apple rose 2%. Citi has a neutral rating and $250 target price on the stock.",
        ["AAPL"],
    ),
    ("an exchange as venue", "Brent futures traded on the Intercontinental Exchange fell 1%.", []),
    ("the exchange's own stock", "Intercontinental Exchange shares rose 2%.", ["ICE"]),
    (
        "foreign benchmarks by their desk names",
        "Brazil's Bovespa rose 0.7%, Taiwan TWSE:TAIEX gained 0.5% and the CSI300 Index fell 1%.",
        ["^BVSP", "^TWII", "000300.SS"],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), LISTED)
def test_misreadings_listed_tickers(
    nlp: Language, case: str, text: str, expected: list[str]
) -> None:
    tickers = extract(text, nlp=nlp, published=EVENING).tickers
    assert [t.symbol for t in tickers] == expected, case


def test_misreadings_a_selling_price_is_no_target(nlp: Language) -> None:
    """Money that prices something else ("a $1,300 ASP", "$9,400 per metric ton") is no claim."""
    text = "Apple rose 2% to $230. The company targets a $1,300 ASP for its headsets in 2025."
    claims = extract(text, nlp=nlp, published=EVENING).claims
    assert [(c.subject, c.metric, c.value) for c in claims] == [
        ("AAPL", "price_return", 2.0),
        ("AAPL", "price_level", 230.0),
    ]


def test_misreadings_capitals_of_a_headline_are_no_name(nlp: Language) -> None:
    """A word of a line in capitals ("- CLICK HERE") matches no name by its capitals alone."""
    doc = nlp("MARKET IMPACT OF A CEASEFIRE - CLICK HERE\n\nApple rose 2%.")
    click = Instrument("CLIK", "Click Holdings Ltd.", "stock", ("Click Holdings",), 5000)
    assert shouted(doc[7:8], click)
    assert not shouted(doc[11:12], click)  # "Apple", written as a name
