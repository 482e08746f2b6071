"""Review decisions without HTTP: an unknown claim, a claim that is no discrepancy, an unknown
decision and a correction without fields are review errors (api/errors.py maps them to 404, 409)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from store_support import transaction_open

from checker import InMemoryPrices, PriceBar, check_claim
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim
from marketdata.providers.yahoo import ReadThroughPrices, YahooPrices
from marketdata.table import DbPrices
from review.decisions import Decision, decide, decide_group, detail, prefetch
from review.errors import ClaimNotFound, DecisionRefused
from store import db, discrepancies, queries
from store.clock import utc_now

BARS = [
    PriceBar("SPY", date(2024, 12, 31), close=586.08),
    PriceBar("SPY", date(2025, 1, 2), close=584.64),
]


def claim(value: float) -> Claim:
    return Claim(
        "SPY", "price_return", value, "percent", "historical", f"SPY {value}%", (0, 4),
        start=date(2024, 12, 31), end=date(2025, 1, 2),
    )  # fmt: skip


@pytest.fixture
def checking(calendar: NyseCalendar) -> Checking:
    return Checking(InMemoryPrices({"SPY": BARS}), calendar)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'review.db'}")
    db.upgrade(engine)
    return engine


def stored(engine: Engine, checking: Checking, value: float, *, copy: int = 0) -> int:
    """A claim saved and checked (in its own article: ``copy`` tells copies apart); its id."""
    with Session(engine) as session, session.begin():
        text = f"SPY moved {value}% in the new year (copy {copy})."
        article = intake.enqueue(session, ArticleIn(text=text), now=utc_now(), max_bytes=10**6)
        extraction = Extraction(claims=(claim(value),))
        [claim_id] = queries.save_extraction(session, article.article_id, extraction)
        check = check_claim(claim(value), checking.prices, checking.calendar)
        queries.save_checks(session, [(claim_id, check)], now=utc_now())
        return claim_id


REFUSED = [
    # (claimed return, decision, correction, the message says); each with reason "other"
    (-0.25, "confirm", None, "not a discrepancy"),
    (10.0, "approve", None, "unknown decision"),
    (10.0, "correct", None, "at least one corrected field"),
    (10.0, "correct", {"text": "SPY"}, "cannot correct text"),
]


@pytest.mark.parametrize(("value", "decision", "correction", "says"), REFUSED)
def test_decisions_refuse_what_cannot_be_decided(
    engine: Engine,
    checking: Checking,
    value: float,
    decision: str,
    correction: dict[str, str] | None,
    says: str,
) -> None:
    claim_id = stored(engine, checking, value)

    def attempt() -> None:
        choice = Decision(decision, "r", correction=correction, reason="other")
        with Session(engine) as session:
            decide(session, claim_id, choice, now=utc_now(), checking=checking)

    with pytest.raises(DecisionRefused, match=says) as refused:
        attempt()
    assert refused.value.code == "conflict"


@pytest.mark.parametrize("decision", ["dismiss", "correct"])
@pytest.mark.parametrize("reason", [None, "looked odd"])
def test_decisions_dismiss_and_correct_need_a_listed_reason(
    decision: str, reason: str | None
) -> None:
    refusal = Decision(decision, "r", correction={"value": -0.25}, reason=reason).refusal()
    assert refusal is not None
    assert "needs a reason" in str(refusal)


def test_decisions_an_unknown_claim_is_not_found(engine: Engine, checking: Checking) -> None:
    with Session(engine) as session:
        with pytest.raises(ClaimNotFound) as missing:
            detail(session, 404)
        with pytest.raises(ClaimNotFound):
            decide(session, 404, Decision("confirm", "r"), now=utc_now(), checking=checking)
    assert missing.value.code == "not_found"


def test_decisions_confirm_a_discrepancy(engine: Engine, checking: Checking) -> None:
    claim_id = stored(engine, checking, 10.0)
    with Session(engine) as session, session.begin():
        review = decide(
            session, claim_id, Decision("confirm", "r"), now=utc_now(), checking=checking
        )
        decided = (review.decision, review.verdict_before, review.verdict_after)
    assert decided == ("confirmed", "contradicted", "contradicted")


def test_decisions_one_decision_for_a_claim_group(engine: Engine, checking: Checking) -> None:
    """The same wrong claim in three articles: one dismissal decides all three, each with its own
    review; another wrong claim stays open."""
    copies = [stored(engine, checking, 10.0, copy=i) for i in range(3)]
    other = stored(engine, checking, 12.0)
    with Session(engine) as session, session.begin():
        choice = Decision("dismiss", "r", note="wrong period", reason="wrong_period")
        reviews = decide_group(session, copies[1], choice, now=utc_now(), checking=checking)
        decided = [(r.claim_id, r.decision, r.reason) for r in reviews]
    assert decided == [(copies[1], "dismissed", "wrong_period")] + [
        (c, "dismissed", "wrong_period") for c in (copies[0], copies[2])
    ]
    with Session(engine) as session:
        still_open = [d.claim.id for d in discrepancies.list_discrepancies(session)]
        histories = [len(discrepancies.reviews_for(session, c)) for c in copies]
    assert still_open == [other]
    assert histories == [1, 1, 1]


def test_decisions_a_group_correction_rechecks_every_member(
    engine: Engine, checking: Checking
) -> None:
    copies = [stored(engine, checking, 10.0, copy=i) for i in range(2)]
    with Session(engine) as session, session.begin():
        choice = Decision("correct", "r", correction={"value": -0.25}, reason="wrong_metric")
        reviews = decide_group(session, copies[0], choice, now=utc_now(), checking=checking)
        after = [(r.claim_id, r.verdict_before, r.verdict_after) for r in reviews]
    assert after == [(c, "contradicted", "supported") for c in copies]


def test_decisions_a_correction_fetches_its_prices_before_the_transaction(
    engine: Engine, calendar: NyseCalendar
) -> None:
    """A correction to a symbol the table lacks: the read-through source downloads it once, in
    ``prefetch`` while no transaction is open; ``decide`` checks from memory and keeps the bars."""
    downloads: list[bool] = []  # per download: was a write transaction open?

    def download(symbol: str, start: date, end: date, timeout: float) -> pd.DataFrame:
        downloads.append(transaction_open(engine))
        index = pd.DatetimeIndex(["2024-12-31", "2025-01-02"]).tz_localize("America/New_York")
        columns = ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
        rows = [(50.0, 51.0, 49.0, 50.0, 50.0, 1e6), (50.0, 56.0, 50.0, 55.0, 55.0, 1e6)]
        return pd.DataFrame(rows, index=index, columns=columns)

    online = YahooPrices(download=download, min_interval=0)
    table = InMemoryPrices({"SPY": BARS})
    checking = Checking(ReadThroughPrices(table, online, today=lambda: date(2025, 6, 1)), calendar)
    claim_id = stored(engine, Checking(table, calendar), 10.0)
    choice = Decision("correct", "r", correction={"subject": "IWC"}, reason="wrong_subject")
    with Session(engine, autobegin=False) as session:
        prefetch(session, claim_id, choice, checking)
        with session.begin():
            review = decide(session, claim_id, choice, now=utc_now(), checking=checking)
            after = (review.verdict_before, review.verdict_after, review.computed_after)
    assert downloads == [False]  # once, and outside any transaction
    assert after == ("contradicted", "supported", 10.0)  # IWC 50 -> 55
    assert DbPrices(engine).last_day("IWC") == date(2025, 1, 2)  # the fetched bars were kept
