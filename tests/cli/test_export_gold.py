"""`newsclaims export gold DIR`: the reviewed articles of the store as gold files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select
from store_support import upgraded
from typer.testing import CliRunner

from checker import Check
from checker.evidence import Evidence
from cli.main import app as cli
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim
from store import queries
from store.clock import utc_now
from store.tables import CheckRow, Review


def test_export_gold_writes_reviewed_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    monkeypatch.setenv("NEWSCLAIMS_DATABASE_URL", url)
    engine = upgraded(url)
    wrong = Claim("SPY", "price_return", 10.0, "percent", "historical", "SPY rose 10%", (0, 12),
                  start=date(2024, 12, 31), end=date(2025, 1, 2))  # fmt: skip
    with Session(engine) as session, session.begin():
        for n, reviewed in enumerate((True, False)):
            text = f"SPY rose 10% on the first day of 2025 (story {n})."
            queued = intake.enqueue(session, ArticleIn(text=text), now=utc_now(), max_bytes=10**6)
            [claim_id] = queries.save_extraction(
                session, queued.article_id, Extraction(claims=(wrong,))
            )
            check = Check("contradicted", computed=-0.25, evidence=Evidence(symbol="SPY"))
            queries.save_checks(session, [(claim_id, check)], now=utc_now())
            if reviewed:
                session.add(Review(claim_id=claim_id, decision="confirmed", reviewer="r",
                                   decided_at=utc_now(), verdict_before="contradicted",
                                   verdict_after="contradicted"))  # fmt: skip
                statement = select(CheckRow).where(CheckRow.claim_id == claim_id)
                session.exec(statement).one().review_status = "confirmed"
    result = CliRunner().invoke(cli, ["export", "gold", str(tmp_path / "gold")])
    assert result.exit_code == 0, result.output
    assert "1 reviewed articles written" in result.stdout
    assert sorted(p.name for p in (tmp_path / "gold").iterdir()) == ["nc1.gold.json", "nc1.json"]
    gold = json.loads((tmp_path / "gold" / "nc1.gold.json").read_text())
    assert [(c["subject"], c["value"], c["verdict"]) for c in gold["claims"]] == [
        ("SPY", 10.0, "contradicted")
    ]
