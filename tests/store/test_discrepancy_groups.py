"""The queue by claim group: the same wrong claim in several articles is one item, with outlets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session
from store_support import STORES, store_engine

from checker import InMemoryPrices, PriceBar, check_claim
from checker.calendar import NyseCalendar
from corpus import intake
from corpus.sources import ArticleIn
from extractor import Extraction
from extractor.types import Claim
from store import discrepancies, queries
from store.clock import utc_now

# SPY's real closes: 2025 began with a 0.25 % fall.
PRICES = InMemoryPrices(
    {
        "SPY": [
            PriceBar("SPY", date(2024, 12, 31), close=586.08),
            PriceBar("SPY", date(2025, 1, 2), close=584.64),
        ]
    }
)


def claim(value: float) -> Claim:
    return Claim(
        "SPY", "price_return", value, "percent", "historical", f"SPY rose {value}%", (0, 4),
        start=date(2024, 12, 31), end=date(2025, 1, 2),
    )  # fmt: skip


def store(engine: Engine, calendar: NyseCalendar, source: str, value: float, n: int) -> int:
    """An article from ``source`` claiming SPY rose ``value`` %, checked; its claim id."""
    with Session(engine) as session, session.begin():
        text = f"Copy {n}: the SPDR S&P 500 ETF rose {value}% on the first day of 2025."
        article = ArticleIn(text=text, source=source)
        queued = intake.enqueue(session, article, now=utc_now(), max_bytes=10**6)
        [claim_id] = queries.save_extraction(
            session, queued.article_id, Extraction(claims=(claim(value),))
        )
        check = check_claim(claim(value), PRICES, calendar)
        queries.save_checks(session, [(claim_id, check)], now=utc_now())
        return claim_id


@pytest.mark.parametrize("kind", STORES)
def test_groups_fold_repeated_claims(kind: str, tmp_path: Path, calendar: NyseCalendar) -> None:
    with store_engine(kind, tmp_path) as engine:
        wire = [store(engine, calendar, source, 2.0, i) for i, source in enumerate(
            ["Reuters", "Yahoo Finance", "Reuters"]
        )]  # fmt: skip
        other = store(engine, calendar, "MarketWatch", 9.0, 3)
        store(engine, calendar, "AP", -0.25, 4)  # supported: in no queue
        with Session(engine) as session:
            groups = discrepancies.list_groups(session)
            rest = discrepancies.list_groups(
                session, after=(groups[0].rank, groups[0].leader.claim.id)
            )
        # 9 % is further off than 2 %: its group comes first.
        assert [g.leader.claim.id for g in groups] == [other, wire[0]]
        assert [[m[0] for m in g.members] for g in groups] == [[other], wire]
        assert groups[1].outlets == ["Reuters", "Yahoo Finance"]
        assert groups[0].rank > groups[1].rank > 0
        assert [g.leader.claim.id for g in rest] == [wire[0]]
        with Session(engine) as session:
            assert discrepancies.list_groups(session, status="dismissed") == []


@pytest.mark.parametrize("kind", STORES)
def test_groups_page_takes_three_queries_whatever_its_size(
    kind: str, tmp_path: Path, calendar: NyseCalendar
) -> None:
    with store_engine(kind, tmp_path) as engine:
        for n, value in enumerate([2.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 6.0]):
            store(engine, calendar, ("Reuters", "AP")[n % 2], value, n)
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", _record(statements))
        with Session(engine) as session:
            groups = discrepancies.list_groups(session, limit=500)
        assert [len(g.members) for g in groups] == [1, 3, 1, 1, 2]  # 6 % furthest off first
        assert groups[1].outlets == ["AP", "Reuters"]
        selects = [s for s in statements if s.lstrip().startswith("SELECT")]
        assert len(selects) == 3  # groups, first claims, members' articles: no query a group


def _record(statements: list[str]) -> Any:
    def listener(*args: Any) -> None:
        statements.append(args[2])

    return listener
