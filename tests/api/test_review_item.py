"""The review item page shows how the claim was read (its basis) and the other reading a check
found (evidence["alternative"]), escaped; the queue shows each claim's excess."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_support import NOW, TEXT, claim
from sqlalchemy import Engine, null, update
from sqlmodel import Session

from api import pages_data as view
from api import pages_groups as queue
from api.pages import templates
from checker import Check
from checker.evidence import Alternative, Evidence
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Basis
from store import db, queries
from store.tables import ClaimRow

CLOCK = Basis(subject="sentence", period="clock", session="clock")
WEEK = {"reading": "week_to_date", "start": "2025-01-31", "end": "2025-02-07", "computed": -0.24}
HOSTILE = "<script>alert(1)</script>"

BASIS_LINES = [
    (CLOCK.to_dict(), "period: clock · session: clock · subject: sentence"),
    (Basis().to_dict(), "period: sentence · session: default · subject: sentence"),
    (None, None),
    ({}, None),
]
ALTERNATIVE_LINES = [
    (WEEK, "week_to_date 2025-01-31 → 2025-02-07, computed -0.24"),
    (
        {"reading": "uncertain", "basis": Basis(period="default").to_dict()},
        "uncertain (period: default · session: default · subject: sentence)",
    ),
    ({"reading": "previous_session", "start": None, "end": "2025-02-06"},
     "previous_session — → 2025-02-06"),
    ({"computed": 3}, "another reading, computed 3"),
    (None, None),
    ("week_to_date", None),
]  # fmt: skip


@pytest.mark.parametrize(("basis", "line"), BASIS_LINES)
def test_basis_line_names_each_part(basis: dict[str, Any] | None, line: str | None) -> None:
    assert view.basis_line(basis) == line


@pytest.mark.parametrize(("alternative", "line"), ALTERNATIVE_LINES)
def test_alternative_line_describes_the_other_reading(alternative: Any, line: str | None) -> None:
    assert view.alternative_line(Alternative.from_dict(alternative)) == line


def _seeded(tmp_path: Path, evidence: dict[str, Any], basis: Basis | None) -> tuple[Engine, int]:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'review.db'}")
    db.upgrade(engine)
    spy = claim("SPY", 10.0)
    with Session(engine) as session, session.begin():
        article = ArticleIn(TEXT, "Markets", date(2025, 10, 8))
        queued = intake.enqueue(session, article, now=NOW, max_bytes=1_000_000)
        extraction = Extraction(claims=(spy if basis is None else replace(spy, basis=basis),))
        [claim_id] = queries.save_extraction(session, queued.article_id, extraction)
        queries.save_checks(
            session,
            [(claim_id, Check("contradicted", None, 5.0, Evidence.from_dict(evidence)))],
            now=NOW,
        )
        if basis is None:  # as stored before bases were kept
            session.execute(update(ClaimRow).where(ClaimRow.id == claim_id).values(basis=null()))
    return engine, claim_id


ITEM_PAGES = [
    # (evidence, basis, shown, not shown)
    (
        {"excess": 12.5, "alternative": WEEK},
        CLOCK,
        ["period: clock · session: clock · subject: sentence",
         "week_to_date 2025-01-31 → 2025-02-07, computed -0.24", "12.50× it"],
        [],
    ),
    (
        {"alternative": {"reading": HOSTILE}},
        Basis(),
        ["&lt;script&gt;alert(1)&lt;/script&gt;", "period: sentence"],
        [HOSTILE],
    ),
    ({}, None, ["not recorded"], ["Other reading", "× it"]),
]  # fmt: skip


@pytest.mark.parametrize(("evidence", "basis", "shown", "hidden"), ITEM_PAGES)
def test_review_item_shows_basis_and_alternative(
    tmp_path: Path,
    evidence: dict[str, Any],
    basis: Basis | None,
    shown: list[str],
    hidden: list[str],
) -> None:
    engine, claim_id = _seeded(tmp_path, evidence, basis)
    with Session(engine) as session:
        item = view.load_item(session, claim_id)
    assert item is not None
    html = templates.get_template("review_item.html").render(
        item=item, metrics=view.METRICS, error="", csrf="token", reviewer="rita", copies=[]
    )
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html
    engine.dispose()


def test_review_queue_shows_the_excess(tmp_path: Path) -> None:
    engine, _ = _seeded(tmp_path, {"excess": 7.25}, CLOCK)
    with Session(engine) as session:
        groups, _ = queue.open_groups(session, limit=10)
    assert [g.item.excess for g in groups] == [7.25]
    html = templates.get_template("review_list.html").render(
        groups=groups, done=None, count=1, following=None, first=True, csrf="token",
        reviewer="rita",
    )  # fmt: skip
    assert "7.25× the tolerance" in html
    engine.dispose()
