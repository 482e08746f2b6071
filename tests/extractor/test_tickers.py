"""The tickers component and the lexicon's name matching, on the built-in reference."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from corpus.instruments import load_lexicon
from extractor.components import tickers
from extractor.extensions import TICKERS
from extractor.lexicon import Instrument, Lexicon, name_key, short_key
from extractor.pipeline import load_base


@pytest.fixture(scope="module")
def ticker_nlp(tmp_path_factory: pytest.TempPathFactory) -> Language:
    """The trained pipeline plus the tickers component alone, with the built-in reference."""
    nlp = load_base()
    nlp.add_pipe(tickers.FACTORY)
    finder = nlp.get_pipe(tickers.FACTORY)
    assert isinstance(finder, tickers.TickerFinder)
    finder.lexicon = load_lexicon(tmp_path_factory.mktemp("data"))
    return nlp


def symbols(nlp: Language, text: str) -> set[str]:
    doc = nlp(text)
    return {span.label_ for span in doc.spans[TICKERS]}


FORMS = [
    ("Nvidia (NVDA) rose 3%.", {"NVDA"}),
    ("Apple Inc. (NASDAQ: AAPL) and Goldman (NYSE:GS) gained.", {"AAPL", "GS"}),
    ("Shares of $TSLA slid after the call.", {"TSLA"}),
    ("Shares of Nucor Corp. (NUE) jumped 5.4%.", {"NUE"}),
    ("Steel Dynamics Inc.'s stock (STLD) advanced 5%.", {"STLD"}),
    ("Shares of Salesforce, Inc. CRM declined 6.9%.", {"CRM"}),
    ("The SPDR S&P Metals and Mining ETF XME was up 3.2%.", {"XME"}),
    ("The iShares Micro-Cap ETF (IWC) rallied; IWC's portfolio is small.", {"IWC"}),
    ("The 17.3% rise of OEF beat the 15.9% gain of SPY.", {"OEF", "SPY"}),
    ("Prices of Alphabet Inc. GOOGL and Microsoft Corporation MSFT fell.", {"GOOGL", "MSFT"}),
    ("The S&P 500 (SPX) and the DJIA rose; the Nasdaq Composite COMP added 1%.", None),
]
INDICES = [
    ("The Dow Jones Industrial Average fell 0.1%.", {"^DJI"}),
    ("The Dow rose while the Nasdaq slipped.", {"^DJI", "^IXIC"}),
    ("The small-cap Russell 2000 dropped 0.7%.", {"^RUT"}),
    ("Breadth was better in the Nasdaq 100.", {"^NDX"}),
    ("The CBOE Volatility Index (VIX) increased 10.16%.", {"^VIX"}),
    ("The S&P MidCap 400 gained while Japan's Nikkei 225 slipped.", {"^MID", "^N225"}),
]
NAMES = [
    ("Alphabet and Google's cloud unit gained.", {"GOOGL"}),
    ("Meta fell while Berkshire Hathaway rose.", {"META", "BRK-B"}),
    ("AI chipmakers Nvidia and Broadcom climbed 2.9% and 4.5%.", {"NVDA", "AVGO"}),
    ("Cruise ship operator Royal Caribbean continues to trade in the buy area.", {"RCL"}),
    ("Coca-Cola and DoorDash are set to report results on Tuesday.", {"KO", "DASH"}),
]
NOT_INSTRUMENTS = [
    ("Fear of Missing Out (FOMO) drove the meme stock rally.", set()),
    ("A bubble in Artificial Intelligence (AI) worries investors.", set()),
    ("Free cash flow (FCF) rose as GDP grew and the CEO spoke about the IPO.", set()),
    ("Fed Chair Jerome Powell spoke. Powell said rates will stay.", set()),
    ("Japan's Nippon Steel Corp. (NPSCY) wants to invest heavily.", set()),
    ("Healthcare shares came under pressure while the United States grew.", set()),
    # A name's abbreviation, not a symbol: an agency's, a central bank's.
    ("Cases rose, the Centers for Disease Control and Prevention (CDC) said.", set()),
    ("The Bangko Sentral ng Pilipinas (BSP) held rates at 5.75%.", set()),
    ("The Bureau of Labor Statistics (BLS) said prices rose 0.5%.", set()),
    # A service named as where to listen or follow.
    ("Listen below or on the go on Apple Podcasts and Spotify.", set()),
    ("Follow us for updates on LinkedIn, on X, or on Facebook.", set()),
]
# A company's initials that are also its symbol, its name written unlike the lexicon's.
SPELLED_SYMBOLS = [
    ("Shares of Constellation Energy Group (CEG) rose 3%.", {"CEG"}),
    ("Spotify jumped 12% after results; follow the stock on Robinhood.", {"SPOT"}),
    ("Advanced Micro Devices (AMD) fell 2%.", {"AMD"}),
]
SOURCES = [
    ("Analysts at Goldman Sachs said the S&P 500 could rise.", {"^GSPC"}),
    ("'Buy,' said Sam Stovall, chief strategist at CFRA Research.", set()),
    ("Mizuho analysts said Uber would gain. Uber rose 2%.", {"UBER"}),
    ("BofA said investors are looking abroad. Bank of America strategists agree.", set()),
    ("BUZZ - J.P. Morgan raises Nvidia PT on AI tailwinds.", {"NVDA"}),
    ("JPMorgan Chase shares rose 3% after record profit.", {"JPM"}),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_tickers_read_written_symbols(
    ticker_nlp: Language, text: str, expected: set[str] | None
) -> None:
    assert symbols(ticker_nlp, text) == (expected or {"^GSPC", "^DJI", "^IXIC"})


@pytest.mark.parametrize(("text", "expected"), INDICES)
def test_tickers_find_index_names(ticker_nlp: Language, text: str, expected: set[str]) -> None:
    assert symbols(ticker_nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_tickers_find_company_names(ticker_nlp: Language, text: str, expected: set[str]) -> None:
    assert symbols(ticker_nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), NOT_INSTRUMENTS)
def test_tickers_skip_lookalikes(ticker_nlp: Language, text: str, expected: set[str]) -> None:
    assert symbols(ticker_nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), SPELLED_SYMBOLS)
def test_tickers_keep_symbols_spelled_by_their_names(
    ticker_nlp: Language, text: str, expected: set[str]
) -> None:
    assert symbols(ticker_nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), SOURCES)
def test_tickers_drop_opinion_sources(ticker_nlp: Language, text: str, expected: set[str]) -> None:
    assert symbols(ticker_nlp, text) == expected


def test_tickers_learn_names_within_the_article(ticker_nlp: Language) -> None:
    text = "Monday.com (MNDY) is building a base. Software maker Monday.com pared gains."
    doc = ticker_nlp(text)
    spans = list(doc.spans[TICKERS])
    assert [(s.label_, s.text) for s in spans] == [
        ("MNDY", "Monday.com (MNDY)"),
        ("MNDY", "Monday.com"),
    ]
    assert spans[0]._.instrument_name == "Monday.com"


def test_tickers_name_takes_the_symbol_written_after_it() -> None:
    owl, obdc = Instrument("OWL", "Blue Owl Capital Inc."), Instrument("OBDC", "Blue Owl Capital")
    names = [tickers.Mention(3, 7, obdc, explicit=False)]
    bare = [tickers.Mention(7, 8, owl, explicit=False)]
    assert [m.item.symbol for m in tickers.relabel_by_symbol(names, bare)] == ["OWL"]


def test_tickers_write_an_empty_group_without_a_lexicon() -> None:
    nlp = load_base()
    nlp.add_pipe(tickers.FACTORY)
    doc = nlp("Nvidia (NVDA) rose.")
    assert list(doc.spans[TICKERS]) == []


KEYS = [
    ("Salesforce, Inc.", "salesforce"),
    ("SALESFORCE INC", "salesforce"),
    ("McDonald's Corp.", "mcdonald"),
    ("Coca-Cola Co", "cocacola"),
    ("Novo Nordisk A/S", "novonordisk"),
    ("The Estée Lauder Companies Inc. Class A", "esteelaudercompanies"),
    ("Apple Inc. - Common Stock", "apple"),
    ("NUCOR CORP /DE/", "nucor"),
]


@pytest.mark.parametrize(("name", "key"), KEYS)
def test_lexicon_name_key_drops_legal_suffixes(name: str, key: str) -> None:
    assert name_key(name) == key


SHORTS = [
    ("Meta Platforms, Inc.", True, "meta"),
    ("Uber Technologies Inc", True, "uber"),
    ("Research Solutions, Inc.", False, None),
    ("Global Interactive Technologies", True, None),
    ("Nvidia Corp", True, None),
]


@pytest.mark.parametrize(("name", "one_word", "key"), SHORTS)
def test_lexicon_short_key_drops_generic_tails(name: str, one_word: bool, key: str | None) -> None:
    assert short_key(name, one_word=one_word) == key


def test_lexicon_prefers_lower_ranks_for_shared_names() -> None:
    lexicon = Lexicon(
        [
            Instrument("ALPH", "Alphabet Holdings", rank=2),
            Instrument("GOOGL", "Alphabet Inc.", aliases=("Google",), rank=0),
        ]
    )
    found = lexicon.by_name("Alphabet")
    assert found is not None
    assert found.symbol == "GOOGL"
    assert len(lexicon) == 2


def test_lexicon_codes_name_indices_but_not_as_words(tmp_path: Path) -> None:
    lexicon = load_lexicon(tmp_path)
    assert [lexicon.by_code(c) and lexicon.by_code(c).symbol for c in ("SPX", "DJIA", "COMP")] == [  # type: ignore[union-attr]
        "^GSPC",
        "^DJI",
        "^IXIC",
    ]
    assert lexicon.by_name("Comp") is None
