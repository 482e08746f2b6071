"""The gate: the gold claims' verdicts (computed by design.md's rules) reproduce on real prices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.calendar import NyseCalendar
from checker.check import check_claim
from extractor.types import Claim
from marketdata.providers.csv import load_prices_dir

# Every gold claim of corpus/dev agrees today (475 of 475); keep a little room for new gold.
MIN_AGREEMENT = 0.97


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
        check_claim(Claim.from_dict(g), prices, calendar).verdict == g.get("verdict") for g in golds
    ]
    assert sum(agree) / len(agree) >= MIN_AGREEMENT
