"""The gate: the gold claims' verdicts (computed by design.md's rules) reproduce on real prices."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from checker.calendar import NyseCalendar
from checker.check import check_claim
from checker.providers.csv import load_prices_dir
from extractor.types import Claim

# Every gold claim of corpus/dev agrees today (475 of 475); keep a little room for new gold.
MIN_AGREEMENT = 0.97


def gold_claim(gold: dict[str, Any]) -> Claim:
    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    return Claim(
        gold["subject"],
        gold["metric"],
        gold.get("value"),
        gold.get("unit") or "",
        gold["kind"],
        gold["text"],
        (0, 0),
        low=gold.get("low"),
        high=gold.get("high"),
        approx=bool(gold.get("approx")),
        bound=gold.get("bound"),
        start=day(gold.get("start")),
        end=day(gold.get("end")),
        session=gold.get("session"),
    )


@pytest.mark.slow
def test_gold_verdicts_reproduce(shared_dir: Path, calendar: NyseCalendar) -> None:
    marketdata, dev = shared_dir / "marketdata", shared_dir / "corpus" / "dev"
    if not marketdata.is_dir() or not dev.is_dir():
        pytest.skip("shared market data or corpus not present")
    prices = load_prices_dir(marketdata)
    golds = [
        g for p in sorted(dev.glob("*.gold.json")) for g in json.loads(p.read_text())["claims"]
    ]
    agree = [
        check_claim(gold_claim(g), prices, calendar).verdict == g.get("verdict") for g in golds
    ]
    assert sum(agree) / len(agree) >= MIN_AGREEMENT
