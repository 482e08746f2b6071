"""Review decisions without HTTP: an unknown claim, a claim that is no discrepancy, an unknown
decision and a correction without fields are review errors (api/errors.py maps them to 404, 409)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from checker import InMemoryPrices, PriceBar, check_claim
from checker.calendar import NyseCalendar
from checker.checking import Checking
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim
from review.decisions import decide, decide_group, detail
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
    with Session(engine) as session, pytest.raises(DecisionRefused, match=says) as refused:
        decide(
            session, claim_id, decision=decision, reviewer="r", now=utc_now(),
            checking=checking, correction=correction, reason="other",
        )  # fmt: skip
    assert refused.value.code == "conflict"


@pytest.mark.parametrize("decision", ["dismiss", "correct"])
@pytest.mark.parametrize("reason", [None, "looked odd"])
def test_decisions_dismiss_and_correct_need_a_listed_reason(
    engine: Engine, checking: Checking, decision: str, reason: str | None
) -> None:
    claim_id = stored(engine, checking, 10.0)
    with Session(engine) as session, pytest.raises(DecisionRefused, match="needs a reason"):
        decide(
            session, claim_id, decision=decision, reviewer="r", now=utc_now(), checking=checking,
            correction={"value": -0.25}, reason=reason,
        )  # fmt: skip


def test_decisions_an_unknown_claim_is_not_found(engine: Engine, checking: Checking) -> None:
    with Session(engine) as session:
        with pytest.raises(ClaimNotFound) as missing:
            detail(session, 404)
        with pytest.raises(ClaimNotFound):
            decide(session, 404, decision="confirm", reviewer="r", now=utc_now(), checking=checking)
    assert missing.value.code == "not_found"


def test_decisions_confirm_a_discrepancy(engine: Engine, checking: Checking) -> None:
    claim_id = stored(engine, checking, 10.0)
    with Session(engine) as session, session.begin():
        review = decide(
            session, claim_id, decision="confirm", reviewer="r", now=utc_now(), checking=checking
        )
        decided = (review.decision, review.verdict_before, review.verdict_after)
    assert decided == ("confirmed", "contradicted", "contradicted")


def test_decisions_one_decision_for_a_claim_group(engine: Engine, checking: Checking) -> None:
    """The same wrong claim in three articles: one dismissal decides all three, each with its own
    review; another wrong claim stays open."""
    copies = [stored(engine, checking, 10.0, copy=i) for i in range(3)]
    other = stored(engine, checking, 12.0)
    with Session(engine) as session, session.begin():
        reviews = decide_group(
            session, copies[1], decision="dismiss", reviewer="r", now=utc_now(),
            checking=checking, note="wrong period", reason="wrong_period",
        )  # fmt: skip
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
        reviews = decide_group(
            session, copies[0], decision="correct", reviewer="r", now=utc_now(),
            checking=checking, correction={"value": -0.25}, reason="wrong_metric",
        )  # fmt: skip
        after = [(r.claim_id, r.verdict_before, r.verdict_after) for r in reviews]
    assert after == [(c, "contradicted", "supported") for c in copies]
