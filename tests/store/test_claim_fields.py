"""A claim's fields are defined once, by the contract (extractor.types.Claim and checker.Check):
store/rows.py derives a row's values, the Claim read back and the stored page JSON from it, and
api/schemas.py derives ClaimPublic from it. The table (ClaimRow) declares its columns, as its
migrations do. These tests hold the table to the contract and show the derivations follow it
(the stored page JSON is held to ClaimPublic by tests/api/test_claim_pages.py)."""

from __future__ import annotations

from datetime import date
from typing import get_args

from api.schemas import ClaimPublic, CorrectionIn
from checker import Check
from extractor.types import Basis, Claim
from review.decisions import CORRECTABLE, DECISIONS, Action
from store import rows
from store.tables import ClaimRow

CLAIM = Claim(
    "SPY", "price_return", None, "percent", "historical", "SPY rose 3-4% this week", (9, 13),
    low=3.0, high=4.0, approx=True, bound="at_least", start=date(2025, 2, 7),
    end=date(2025, 2, 14), session="intraday", basis=Basis("sentence", "clock", "clock"),
)  # fmt: skip


def test_claim_fields_each_has_a_column() -> None:
    stored = {*rows.COLUMNS, "offset_start", "offset_end", "basis"}
    assert stored <= set(ClaimRow.model_fields)
    assert set(rows.COLUMNS) | {"offsets", "basis"} == set(Claim.__dataclass_fields__)


def test_claim_fields_read_back_from_a_row() -> None:
    row = ClaimRow(id=1, **rows.claim_values(1, 0, CLAIM))
    assert rows.to_claim(row) == CLAIM


def test_claim_fields_api_model_is_the_contract_with_ids_and_check() -> None:
    expected = ["id", "article_id", *CLAIM.to_dict(), *Check(None).to_dict(), "review_status"]
    assert list(ClaimPublic.model_fields) == expected


def test_claim_fields_correctable_ones_are_columns_the_api_accepts() -> None:
    """What a reviewer may correct (review.decisions.CORRECTABLE, a policy: ``text`` is what the
    article said) is a list of stored fields, and the API's correction body takes exactly those."""
    assert set(CORRECTABLE) == set(rows.COLUMNS) - {"text"}
    assert list(CorrectionIn.model_fields) == list(CORRECTABLE)


def test_claim_fields_each_review_action_records_a_decision() -> None:
    assert list(DECISIONS) == list(get_args(Action))
