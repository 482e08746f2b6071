"""recheck(): pending forecasts and no-data claims are decided once newer prices are imported."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, null, update
from sqlmodel import Session, col, select
from store_support import STORES, store_engine

from checker import check_claim
from checker.calendar import NyseCalendar
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Basis, Claim
from marketdata.price_import import import_prices
from marketdata.table import DbPrices
from review.recheck import recheck
from store import queries
from store.clock import utc_now
from store.rows import check_json, to_claim
from store.tables import CheckRow, ClaimRow

OLD = "Date,Open,High,Low,Close\n2024-12-31,588,590,584,586.08\n2025-01-02,587,592,580,584.64\n"
NEW = OLD + "2025-01-03,585,593,584,591.95\n"
QQQ = "Date,Close\n2024-12-31,511.23\n2025-01-02,508.0\n"


def claim(subject: str, metric: str, value: float, kind: str, **dates: date) -> Claim:
    unit = "percent" if metric == "price_return" else "points"
    return Claim(subject, metric, value, unit, kind, f"{subject} {value}", (0, 4), **dates)  # type: ignore[arg-type]


CLAIMS = [
    # (claim, verdict when stored, verdict after the new prices)
    (claim("SPY", "target_level", 590, "forecast", end=date(2025, 1, 3)), "pending", "hit"),
    (
        claim(
            "QQQ",
            "price_return",
            -0.63,
            "historical",
            start=date(2024, 12, 31),
            end=date(2025, 1, 2),
        ),
        "unverifiable",
        "supported",
    ),
    (
        claim(
            "SPY",
            "price_return",
            -0.25,
            "historical",
            start=date(2024, 12, 31),
            end=date(2025, 1, 2),
        ),
        "supported",
        "supported",
    ),
    (claim("SPY", "price_level", 1, "hypothetical", end=date(2025, 1, 2)), None, None),
]


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with store_engine(request.param, tmp_path) as store:
        yield store


def csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name / "SPY.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stored(engine: Engine, calendar: NyseCalendar, *, checked: bool = True) -> list[int]:
    """One article with CLAIMS, checked against the table as it is now."""
    prices = DbPrices(engine)
    with Session(engine) as session, session.begin():
        article = intake.enqueue(session, ArticleIn(text="x" * 50), now=utc_now(), max_bytes=10**6)
        claims = tuple(c for c, _, _ in CLAIMS)
        ids = queries.save_extraction(session, article.article_id, Extraction(claims=claims))
        if checked:
            checks = [
                (i, check_claim(c, prices, calendar)) for i, c in zip(ids, claims, strict=True)
            ]
            queries.save_checks(session, checks, now=utc_now())
    return ids


def verdicts(engine: Engine, ids: list[int]) -> list[str | None]:
    """Each claim's stored verdict; every check's stored page JSON follows its row."""
    with Session(engine) as session:
        checks = list(session.exec(select(CheckRow)))
    for row in checks:
        assert json.loads(row.page_json or "") == json.loads(check_json(row))
    found = {row.claim_id: row.verdict for row in checks}
    return [found.get(i) for i in ids]


def test_recheck_decides_pending_and_no_data_claims(
    engine: Engine, tmp_path: Path, calendar: NyseCalendar
) -> None:
    import_prices(engine, [csv(tmp_path, "old", OLD)])
    ids = stored(engine, calendar)
    assert verdicts(engine, ids) == [before for _, before, _ in CLAIMS]
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "QQQ.csv").write_text(QQQ, encoding="utf-8")
    import_prices(engine, [csv(tmp_path, "new", NEW), tmp_path / "q"])
    report = recheck(engine, DbPrices(engine), calendar, now=utc_now(), chunk=1)
    assert report.examined == 2
    assert set(report.changes) == {
        ("pending", "hit", 1),
        ("unverifiable (no_data)", "supported", 1),
    }
    assert verdicts(engine, ids) == [after for _, _, after in CLAIMS]
    assert recheck(engine, DbPrices(engine), calendar, now=utc_now()).examined == 0


def test_recheck_checks_claims_stored_without_a_check(
    engine: Engine, tmp_path: Path, calendar: NyseCalendar
) -> None:
    import_prices(engine, [csv(tmp_path, "new", NEW)])
    ids = stored(engine, calendar, checked=False)
    report = recheck(engine, DbPrices(engine), calendar, now=utc_now(), symbols={"SPY"})
    assert report.examined == 3  # the QQQ claim is about another symbol
    assert verdicts(engine, ids) == ["hit", None, "supported", None]


def test_recheck_to_claim_round_trips_a_stored_claim(
    engine: Engine, calendar: NyseCalendar
) -> None:
    stored(engine, calendar, checked=False)
    with Session(engine) as session:
        rows = session.exec(select(ClaimRow).order_by(col(ClaimRow.position))).all()
        assert [to_claim(r) for r in rows] == [c for c, _, _ in CLAIMS]


def test_recheck_keeps_each_excess_in_its_column(
    engine: Engine, tmp_path: Path, calendar: NyseCalendar
) -> None:
    import_prices(engine, [csv(tmp_path, "old", OLD)])
    stored(engine, calendar)
    import_prices(engine, [csv(tmp_path, "new", NEW)])
    recheck(engine, DbPrices(engine), calendar, now=utc_now())
    with Session(engine) as session:
        rows = session.exec(select(CheckRow)).all()
    assert [r.excess for r in rows] == [r.evidence.get("excess") for r in rows]
    assert any(r.excess is not None for r in rows)  # the decided ones have one


BASES = [
    (Basis(), Basis()),
    (Basis("previous", "heading", "lead"), Basis("previous", "heading", "lead")),
    (None, Basis()),  # stored before bases were kept: read as stated
]


@pytest.mark.parametrize(("basis", "read"), BASES)
def test_recheck_to_claim_reads_the_basis(engine: Engine, basis: Basis | None, read: Basis) -> None:
    claim = replace(CLAIMS[0][0], basis=basis or Basis())
    with Session(engine) as session, session.begin():
        article = intake.enqueue(session, ArticleIn(text="y" * 50), now=utc_now(), max_bytes=10**6)
        [claim_id] = queries.save_extraction(
            session, article.article_id, Extraction(claims=(claim,))
        )
        if basis is None:
            session.execute(update(ClaimRow).where(ClaimRow.id == claim_id).values(basis=null()))
    with Session(engine) as session:
        row = session.get(ClaimRow, claim_id)
        assert row is not None
        assert to_claim(row) == replace(claim, basis=read)
