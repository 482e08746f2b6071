"""Contract objects to table rows and back: a Claim's column values, a stored claim as the
extractor's Claim again, and a Check's column values. Every place that writes a claim or copies a
check onto a row (store, recheck, review corrections) goes through here, so no column is missed.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from checker import Check
from extractor.types import Basis, Claim
from store.tables import CheckRow, ClaimRow

# Claim fields kept in a column of the same name; offsets and basis are stored their own way.
COLUMNS = tuple(f.name for f in fields(Claim) if f.name not in ("offsets", "basis"))


def claim_values(article_id: int, position: int, claim: Claim) -> dict[str, Any]:
    """The claims-table columns of one extracted claim."""
    return (
        {"article_id": article_id, "position": position}
        | {name: getattr(claim, name) for name in COLUMNS}
        | {
            "offset_start": claim.offsets[0],
            "offset_end": claim.offsets[1],
            "basis": claim.basis.to_dict(),
        }
    )


def to_claim(row: ClaimRow) -> Claim:
    """A stored claim as the extractor handed it over (no basis stored: read as stated).

    The row's text columns hold what the extractor's Literal vocabularies allowed when it was
    written; they are taken as they are, not checked again.
    """
    values: dict[str, Any] = {name: getattr(row, name) for name in COLUMNS}
    offsets = (row.offset_start, row.offset_end)
    return Claim(**values, offsets=offsets, basis=Basis.from_dict(row.basis))


def check_values(check: Check) -> dict[str, Any]:
    """The checks-table columns a Check sets: its contract fields and the queue's ``excess``."""
    excess = check.evidence.excess
    return check.to_dict() | {"excess": None if excess is None else float(excess)}


def copy_check(row: CheckRow, check: Check, *, now: datetime) -> None:
    """Write a new check's values onto a stored check row, checked ``now``."""
    for name, value in check_values(check).items():
        setattr(row, name, value)
    row.checked_at = now
