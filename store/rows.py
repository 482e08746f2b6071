"""Contract objects to table rows and back: a Claim's column values, a stored claim as the
extractor's Claim again, and a Check's column values. Every place that writes a claim or copies a
check onto a row (store, recheck, review corrections) goes through here, so no column is missed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from checker import Check
from extractor.types import Basis, Claim
from store.tables import CheckRow, ClaimRow


def claim_values(article_id: int, position: int, claim: Claim) -> dict[str, Any]:
    """The claims-table columns of one extracted claim."""
    return {
        "article_id": article_id,
        "position": position,
        "subject": claim.subject,
        "metric": claim.metric,
        "value": claim.value,
        "unit": claim.unit,
        "low": claim.low,
        "high": claim.high,
        "approx": claim.approx,
        "bound": claim.bound,
        "start": claim.start,
        "end": claim.end,
        "session": claim.session,
        "kind": claim.kind,
        "text": claim.text,
        "offset_start": claim.offsets[0],
        "offset_end": claim.offsets[1],
        "basis": claim.basis.to_dict(),
    }


def to_claim(row: ClaimRow) -> Claim:
    """A stored claim as the extractor handed it over (no basis stored: read as stated)."""
    return Claim(
        row.subject,
        cast(Any, row.metric),
        row.value,
        cast(Any, row.unit),
        cast(Any, row.kind),
        row.text,
        (row.offset_start, row.offset_end),
        low=row.low,
        high=row.high,
        approx=row.approx,
        bound=cast(Any, row.bound),
        start=row.start,
        end=row.end,
        session=cast(Any, row.session),
        basis=Basis.from_dict(row.basis),
    )


def check_values(check: Check) -> dict[str, Any]:
    """The checks-table columns a Check sets: its contract fields and the queue's ``excess``."""
    excess = check.evidence.excess
    return check.to_dict() | {"excess": None if excess is None else float(excess)}


def copy_check(row: CheckRow, check: Check, *, now: datetime) -> None:
    """Write a new check's values onto a stored check row, checked ``now``."""
    for name, value in check_values(check).items():
        setattr(row, name, value)
    row.checked_at = now
