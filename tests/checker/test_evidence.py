"""checker/evidence.py: stored evidence reads back as it was written, key order included."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from checker.evidence import NO_EVIDENCE, Alternative, Bar, ComparisonEvidence, Evidence
from extractor.types import Basis

CSV = {"provider": "csv:marketdata"}
SPY = CSV | {"symbol": "SPY"}
MOVE = SPY | {
    "end": "2025-02-10", "start": "2025-02-07", "rule": "return",
    "prices": {"start": {"day": "2025-02-07", "close": 600.5, "low": 598.0, "high": 603.25},
               "end": {"day": "2025-02-10", "close": 604.5, "low": 601.0, "high": 605.0}},
    "computed": {"close": 0.6661}, "day_range": [0.0833, 0.7494], "tolerance": {"close": 0.25},
}  # fmt: skip
ADJUSTED = SPY | {
    "end": "2025-03-06", "start": "2024-12-31", "rule": "return",
    "prices": {"start": {"day": "2024-12-31", "adj_close": 59.3209},
               "end": {"day": "2025-03-06", "adj_close": 62.1754}},
    "computed": {"adj_close": 4.8119}, "tolerance": {"adj_close": 0.5},
}  # fmt: skip
LEVEL = SPY | {
    "end": "2025-02-10",
    "rule": "level",
    "prices": {"end": {"day": "2025-02-10", "close": 6066}},
}
OTHER = {"reading": "week_to_date", "start": "2025-01-31", "end": "2025-02-07", "computed": -0.24}
UNCERTAIN = {"reading": "uncertain", "basis": Basis(period="default").to_dict()}
# (variant, evidence as the checker writes it and the database keeps it)
STORED = [
    ("not checked", {}),
    ("symbol unknown to the data", SPY | {"note": "symbol not in the data"}),
    ("pending forecast", SPY | {"end": "2026-12-31", "last_data": "2026-08-21"}),
    ("move without bars", SPY | {"end": "2025-02-10", "start": "2025-02-07", "note": "no bar"}),
    ("move supported", MOVE | {"matched": "close", "excess": 1.66}),
    ("move contradicted", MOVE | {"matched": None, "excess": 5.59}),
    ("move in the session", MOVE),
    ("dividend window", ADJUSTED | {"dividend_window": 0.7118, "matched": "dividend_window",
                                   "excess": 1.62}),
    ("only adjusted closes", ADJUSTED | {"computed": {}, "tolerance": {}, "note": "only adj"}),
    ("level", LEVEL | {"tolerance": 60.6644, "excess": 0.0}),
    ("level without closes", LEVEL | {"note": "only adjusted closes"}),
    ("level without excess", LEVEL | {"tolerance": 60.6644, "excess": None}),
    ("another reading", MOVE | {"matched": None, "excess": 3.0, "alternative": OTHER}),
    ("an uncertain reading", MOVE | {"matched": None, "excess": 3.0, "alternative": UNCERTAIN}),
    ("a reading without dates", LEVEL | {"alternative": OTHER | {"start": None, "end": None}}),
]  # fmt: skip
COMPARISONS = [
    ("unknown subject", CSV | {"symbols": ["IWC", "oef"]}),
    ("missing bar", CSV | {"symbols": ["IWC", "OEF"], "rule": "comparison", "start": "2024-12-31",
                           "end": "2025-10-08", "note": "no bar for OEF on a date"}),
    ("decided", CSV | {"symbols": ["IWC", "OEF"], "rule": "comparison", "start": "2024-12-31",
                       "end": "2025-10-08",
                       "prices": {"IWC": [{"day": "2024-12-31", "close": 130.38},
                                          {"day": "2025-10-08", "close": 155.4}],
                                  "OEF": [{"day": "2024-12-31", "close": 283.0},
                                          {"day": "2025-10-08", "close": 331.9}]},
                       "column": "close", "computed": {"IWC": 19.19, "OEF": 17.28}}),
]  # fmt: skip


@pytest.mark.parametrize(("variant", "stored"), STORED)
def test_evidence_reads_back_as_stored(variant: str, stored: dict[str, Any]) -> None:
    out = Evidence.from_dict(stored).to_dict()
    assert json.dumps(out) == json.dumps(stored), variant  # the same bytes: values and key order


@pytest.mark.parametrize(("variant", "stored"), STORED)
def test_evidence_round_trips(variant: str, stored: dict[str, Any]) -> None:
    evidence = Evidence.from_dict(stored)
    assert Evidence.from_dict(evidence.to_dict()) == evidence, variant


@pytest.mark.parametrize(("variant", "stored"), COMPARISONS)
def test_evidence_comparison_round_trips(variant: str, stored: dict[str, Any]) -> None:
    evidence = ComparisonEvidence.from_dict(stored)
    assert json.dumps(evidence.to_dict()) == json.dumps(stored), variant
    assert ComparisonEvidence.from_dict(evidence.to_dict()) == evidence


def test_evidence_typed_fields() -> None:
    evidence = Evidence.from_dict(MOVE | {"matched": None, "excess": 3.0, "alternative": OTHER})
    assert (evidence.start, evidence.end) == (date(2025, 2, 7), date(2025, 2, 10))
    assert evidence.end_bar == Bar(date(2025, 2, 10), close=604.5, low=601.0, high=605.0)
    assert (evidence.tolerance, evidence.tolerances, evidence.widest_tolerance) == (
        None, {"close": 0.25}, 0.25,
    )  # fmt: skip
    assert (evidence.decided, evidence.matched, evidence.excess) == (True, None, 3.0)
    assert evidence.alternative == Alternative(
        "week_to_date", date(2025, 1, 31), date(2025, 2, 7), -0.24
    )
    level = Evidence.from_dict(LEVEL | {"tolerance": 60.6644, "excess": 0.0})
    assert (level.tolerance, level.tolerances, level.widest_tolerance) == (60.6644, None, 60.6644)
    assert Evidence.from_dict({}) == NO_EVIDENCE


def test_evidence_from_an_older_row() -> None:
    """Checks stored before excesses (migration 0004) and alternatives were kept: a move had
    ``matched`` and no ``excess``; a level neither. Both read; only the move, written again,
    gains ``"excess": null``."""
    old_move = {k: v for k, v in MOVE.items() if k != "day_range"} | {"matched": "close"}
    evidence = Evidence.from_dict(old_move)
    assert (evidence.matched, evidence.excess, evidence.decided) == ("close", None, True)
    assert evidence.to_dict() == old_move | {"excess": None}
    old_level = LEVEL | {"tolerance": 60.6644}
    assert Evidence.from_dict(old_level).to_dict() == old_level


BAD = [
    ({"tolerance": "wide", "excess": float("inf"), "end": "Tuesday"}, {"excess": None}),
    ({"prices": {"end": {"close": 3.0}}, "day_range": [1.0], "rule": "guess"}, {}),
    ({"alternative": "week_to_date", "computed": {"close": True}}, {"computed": {}}),
    ({"note": 3, "bars": [[1.5, None]], "ok": True}, {}),
]


@pytest.mark.parametrize(("stored", "read"), BAD)
def test_evidence_drops_what_it_cannot_read(stored: dict[str, Any], read: dict[str, Any]) -> None:
    assert Evidence.from_dict(stored).to_dict() == read
